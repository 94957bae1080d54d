package dev.warden.semantic.query;

import java.util.Locale;
import java.util.Optional;

/** A filter operator of API.md, with how many values it takes. */
public enum FilterOp {
    EQ(1, 1), NEQ(1, 1), IN(1, 1000), NOT_IN(1, 1000), GT(1, 1), GTE(1, 1), LT(1, 1), LTE(1, 1), BETWEEN(2, 2),
    IS_NULL(0, 0), IS_NOT_NULL(0, 0), CONTAINS(1, 1), STARTS_WITH(1, 1), ENDS_WITH(1, 1), IN_LAST(2, 2);

    private final int minValues;
    private final int maxValues;

    FilterOp(int minValues, int maxValues) {
        this.minValues = minValues;
        this.maxValues = maxValues;
    }

    public int minValues() {
        return minValues;
    }

    public int maxValues() {
        return maxValues;
    }

    /** The API's spelling. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Operators that match text patterns; their values are strings whose LIKE wildcards are escaped. */
    public boolean isPattern() {
        return this == CONTAINS || this == STARTS_WITH || this == ENDS_WITH;
    }

    public static Optional<FilterOp> fromWire(String text) {
        for (FilterOp op : values()) {
            if (op.wireName().equals(text)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
