package dev.warden.semantic.query;

import static java.util.Objects.requireNonNull;

/** One sort key of a query. */
public record Sort(FieldRef field, SortDirection direction) {
    public Sort {
        requireNonNull(field, "field is null");
        requireNonNull(direction, "direction is null");
    }
}
