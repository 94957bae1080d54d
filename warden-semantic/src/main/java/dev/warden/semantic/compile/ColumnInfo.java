package dev.warden.semantic.compile;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One result column, in select order. {@code name} is the field as queried
 * ({@code orders.created_at[month]}); {@code type} is one of {@code string}, {@code number},
 * {@code boolean}, {@code date}, {@code timestamp}; {@code kind} is {@code dimension} or
 * {@code measure}. A timestamp column's values are either UTC ({@code utc}: a raw timestamp, a
 * min or max of one), which whoever shows them moves into the query's zone, or already wall-clock
 * time in the query's zone (a timeframe such as hour, truncated there).
 */
public record ColumnInfo(String name, String label, String type, String kind, Optional<String> format, boolean utc) {
    /** A column whose values need no moving between zones. */
    public ColumnInfo(String name, String label, String type, String kind, Optional<String> format) {
        this(name, label, type, kind, format, false);
    }

    public ColumnInfo {
        requireNonNull(name, "name is null");
        requireNonNull(label, "label is null");
        requireNonNull(type, "type is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(format, "format is null");
    }
}
