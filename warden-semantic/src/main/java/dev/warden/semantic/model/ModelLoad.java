package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The outcome of {@link ModelLoader#load}: a valid model (perhaps with warnings), or every problem found. */
public sealed interface ModelLoad permits ModelLoad.Loaded, ModelLoad.Invalid {

    /** A model that validated; warnings never prevent activation. */
    record Loaded(SemanticModel model, List<ModelProblem> warnings) implements ModelLoad {
        public Loaded {
            requireNonNull(model, "model is null");
            warnings = List.copyOf(warnings);
        }
    }

    /** A model that must not be activated, with every problem at once (never empty). */
    record Invalid(List<ModelProblem> problems) implements ModelLoad {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid model has at least one problem");
            }
        }
    }
}
