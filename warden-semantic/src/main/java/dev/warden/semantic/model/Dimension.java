package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A dimension: a column or expression people group and filter by. */
public record Dimension(
        String view,
        String name,
        DimensionType type,
        SqlTemplate sql,
        Set<Timeframe> timeframes,
        String label,
        Optional<String> description,
        boolean hidden,
        List<String> requiredAccessGrants) implements Field {

    public Dimension {
        requireNonNull(view, "view is null");
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(sql, "sql is null");
        timeframes = Set.copyOf(timeframes);
        requireNonNull(label, "label is null");
        requireNonNull(description, "description is null");
        requiredAccessGrants = List.copyOf(requiredAccessGrants);
    }

    /** Raw is always allowed on a time dimension; other timeframes only when the model lists them. */
    public boolean allows(Timeframe timeframe) {
        return type.isTime() && (timeframe == Timeframe.RAW || timeframes.contains(timeframe));
    }
}
