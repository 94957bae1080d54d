package dev.warden.server.query.cache;

import java.util.List;
import java.util.Objects;

/**
 * A query result as kept in the cache: the column labels and the rows, each value one of Long,
 * java.math.BigDecimal, String, Boolean, java.time.LocalDate, java.time.LocalDateTime,
 * java.time.OffsetDateTime or null (what the warehouse executor produces), and whether the
 * result was cut at the row limit.
 */
public record CachedResult(List<String> columns, List<Object[]> rows, boolean truncated) {
    public CachedResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(Objects.requireNonNull(rows, "rows is null"));
    }
}
