package dev.warden.semantic.model;

import java.util.Optional;

/** The aggregation of a measure; {@link #NUMBER} is an expression over other measures. */
public enum MeasureType {
    COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX, NUMBER;

    /** The model's spelling. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether joining the measure's view to more rows than it has would change the result.
     * {@code count_distinct}, {@code min} and {@code max} are immune to duplicated rows.
     */
    public boolean sensitiveToFanOut() {
        return this == COUNT || this == SUM || this == AVG;
    }

    static Optional<MeasureType> fromWire(String text) {
        for (MeasureType t : values()) {
            if (t.wireName().equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
