package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

/**
 * One validation finding: where (1-based line and column of the YAML text), what, and how to fix it.
 */
public record ModelProblem(int line, int column, String message, String hint) {
    public ModelProblem {
        requireNonNull(message, "message is null");
        requireNonNull(hint, "hint is null");
    }

    @Override
    public String toString() {
        return line + ":" + column + ": " + message + (hint.isEmpty() ? "" : " (" + hint + ")");
    }
}
