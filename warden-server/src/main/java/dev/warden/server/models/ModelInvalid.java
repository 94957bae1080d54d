package dev.warden.server.models;

import dev.warden.semantic.model.ModelProblem;
import java.util.List;

/** A model upload that does not validate: every problem, with line, column and hint (422). */
public final class ModelInvalid extends RuntimeException {
    private final List<ModelProblem> problems;

    public ModelInvalid(List<ModelProblem> problems) {
        super("the model does not validate", null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<ModelProblem> problems() {
        return problems;
    }
}
