package dev.warden.semantic.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * SQL text with {@code ?} placeholders and the values to bind to them, in order, and the time
 * zones the SQL moves timestamps into (a warehouse may not know one: MySQL without its tables).
 */
public record RenderedSql(String sql, List<Object> binds, java.util.Set<String> timeZones) {
    public RenderedSql {
        requireNonNull(sql, "sql is null");
        binds = List.copyOf(binds);
        timeZones = java.util.Set.copyOf(timeZones);
    }
}
