package dev.warden.semantic.query;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/** One JSON value of a filter. Numbers stay exact decimals; null is not a value (use is_null). */
public sealed interface FilterValue permits FilterValue.Text, FilterValue.Number, FilterValue.Bool {

    record Text(String value) implements FilterValue {
        public Text {
            requireNonNull(value, "value is null");
        }
    }

    record Number(BigDecimal value) implements FilterValue {
        public Number {
            requireNonNull(value, "value is null");
        }
    }

    record Bool(boolean value) implements FilterValue {}
}
