package dev.warden.semantic.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** SQL text with {@code ?} placeholders and the values to bind to them, in order. */
public record RenderedSql(String sql, List<Object> binds) {
    public RenderedSql {
        requireNonNull(sql, "sql is null");
        binds = List.copyOf(binds);
    }
}
