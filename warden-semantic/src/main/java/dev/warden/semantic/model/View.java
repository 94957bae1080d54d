package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A view: one table (or derived table) and its dimensions and measures, in model order. */
public record View(
        String name,
        Optional<String> table,
        Optional<SqlTemplate> derivedSql,
        Optional<String> primaryKey,
        Map<String, Dimension> dimensions,
        Map<String, Measure> measures,
        String label,
        Optional<String> description,
        boolean hidden,
        List<String> requiredAccessGrants) {

    public View {
        requireNonNull(name, "name is null");
        requireNonNull(table, "table is null");
        requireNonNull(derivedSql, "derivedSql is null");
        requireNonNull(primaryKey, "primaryKey is null");
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
        measures = Collections.unmodifiableMap(new LinkedHashMap<>(measures));
        requireNonNull(label, "label is null");
        requireNonNull(description, "description is null");
        requiredAccessGrants = List.copyOf(requiredAccessGrants);
    }

    /** The dimension or measure of that name. */
    public Optional<Field> field(String fieldName) {
        Field f = dimensions.get(fieldName);
        return f != null ? Optional.of(f) : Optional.ofNullable(measures.get(fieldName));
    }
}
