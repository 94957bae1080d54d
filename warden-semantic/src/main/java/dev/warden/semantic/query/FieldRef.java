package dev.warden.semantic.query;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

import dev.warden.semantic.model.Timeframe;

/** A reference to a field in a query: {@code view.field} or {@code view.field[timeframe]}. */
public record FieldRef(String view, String field, Optional<Timeframe> timeframe) {
    public FieldRef {
        requireNonNull(view, "view is null");
        requireNonNull(field, "field is null");
        requireNonNull(timeframe, "timeframe is null");
    }

    /** {@code view.field}, without the timeframe. */
    public String qualifiedField() {
        return view + "." + field;
    }

    /** The reference as written in queries and column names. */
    @Override
    public String toString() {
        return timeframe.map(t -> qualifiedField() + "[" + t.wireName() + "]").orElse(qualifiedField());
    }
}
