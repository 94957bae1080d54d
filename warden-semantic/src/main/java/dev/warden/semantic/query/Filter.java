package dev.warden.semantic.query;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One filter of a query; its values already have the count and shape the operator needs. */
public record Filter(FieldRef field, FilterOp op, List<FilterValue> values) {
    public Filter {
        requireNonNull(field, "field is null");
        requireNonNull(op, "op is null");
        values = List.copyOf(values);
    }
}
