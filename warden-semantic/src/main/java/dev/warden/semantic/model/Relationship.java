package dev.warden.semantic.model;

import java.util.Optional;

/**
 * How many rows of the joined view match one row of the view it is joined to
 * ({@code many_to_one}: many rows of the parent share one row of the joined view).
 */
public enum Relationship {
    MANY_TO_ONE, ONE_TO_MANY, ONE_TO_ONE;

    /** The model's spelling. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Optional<Relationship> fromWire(String text) {
        for (Relationship r : values()) {
            if (r.wireName().equals(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
