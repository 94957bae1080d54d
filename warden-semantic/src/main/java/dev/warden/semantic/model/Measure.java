package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** A measure: an aggregate over its view's rows, or ({@link MeasureType#NUMBER}) an expression over measures. */
public record Measure(
        String view,
        String name,
        MeasureType type,
        Optional<SqlTemplate> sql,
        List<MeasureFilter> filters,
        Optional<String> format,
        String label,
        Optional<String> description,
        boolean hidden,
        List<String> requiredAccessGrants) implements Field {

    public Measure {
        requireNonNull(view, "view is null");
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(sql, "sql is null");
        filters = List.copyOf(filters);
        requireNonNull(format, "format is null");
        requireNonNull(label, "label is null");
        requireNonNull(description, "description is null");
        requiredAccessGrants = List.copyOf(requiredAccessGrants);
    }

    /**
     * A filtered measure's condition: {@code dimension IN values}. The values are already typed for
     * the dimension (String, BigDecimal, Boolean, LocalDate) and are sent as bind values.
     */
    public record MeasureFilter(String dimension, List<Object> values) {
        public MeasureFilter {
            requireNonNull(dimension, "dimension is null");
            values = List.copyOf(values);
        }
    }
}
