package dev.warden.semantic.model;

import java.util.Optional;

/** The type of a dimension, as written in the model's {@code type:} key. */
public enum DimensionType {
    STRING, NUMBER, BOOLEAN, DATE, TIMESTAMP;

    /** The model's spelling. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Date and timestamp dimensions are the only ones with timeframes. */
    public boolean isTime() {
        return this == DATE || this == TIMESTAMP;
    }

    static Optional<DimensionType> fromWire(String text) {
        for (DimensionType t : values()) {
            if (t.wireName().equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
