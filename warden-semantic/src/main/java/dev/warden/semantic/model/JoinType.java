package dev.warden.semantic.model;

import java.util.Optional;

/** The SQL join kind of a topic's join; {@code left} unless the model says otherwise. */
public enum JoinType {
    LEFT, INNER;

    /** The model's spelling. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Optional<JoinType> fromWire(String text) {
        for (JoinType t : values()) {
            if (t.wireName().equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
