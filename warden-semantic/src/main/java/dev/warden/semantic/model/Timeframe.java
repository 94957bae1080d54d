package dev.warden.semantic.model;

import java.util.Optional;

/** A period a date or timestamp dimension can be truncated to, queried as {@code view.field[month]}. */
public enum Timeframe {
    RAW, HOUR, DATE, WEEK, MONTH, QUARTER, YEAR;

    /** The model's and the query's spelling. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Hour and raw keep the time of day; the others produce a date (the start of the period). */
    public boolean producesDate() {
        return this != RAW && this != HOUR;
    }

    /** Parses the model's or query's spelling. */
    public static Optional<Timeframe> fromWire(String text) {
        for (Timeframe t : values()) {
            if (t.wireName().equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
