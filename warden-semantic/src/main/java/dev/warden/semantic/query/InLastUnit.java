package dev.warden.semantic.query;

import java.util.Locale;
import java.util.Optional;

/** The period unit of an {@code in_last} filter ({@code [7, "day"]}). */
public enum InLastUnit {
    HOUR, DAY, WEEK, MONTH, QUARTER, YEAR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts the singular and the plural ("day", "days"). */
    public static Optional<InLastUnit> fromWire(String text) {
        for (InLastUnit u : values()) {
            if (u.wireName().equals(text) || (u.wireName() + "s").equals(text)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
