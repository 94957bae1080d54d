package dev.warden.semantic.compile;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One result column, in select order. {@code name} is the field as queried
 * ({@code orders.created_at[month]}); {@code type} is one of {@code string}, {@code number},
 * {@code boolean}, {@code date}, {@code timestamp} (timestamps are wall-clock time in the query's
 * timezone); {@code kind} is {@code dimension} or {@code measure}.
 */
public record ColumnInfo(String name, String label, String type, String kind, Optional<String> format) {
    public ColumnInfo {
        requireNonNull(name, "name is null");
        requireNonNull(label, "label is null");
        requireNonNull(type, "type is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(format, "format is null");
    }
}
