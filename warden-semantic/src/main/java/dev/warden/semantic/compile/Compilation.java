package dev.warden.semantic.compile;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The outcome of {@link QueryCompiler#compile}: SQL to run, or a refusal to show. */
public sealed interface Compilation permits Compilation.Compiled, Compilation.Refused {

    /**
     * SQL with {@code ?} placeholders and its bind values in order. The SQL fetches
     * {@code effectiveLimit + 1} rows: when more than {@code effectiveLimit} come back, the caller
     * drops the extra row and reports the result as truncated. {@code cappedByRowCap} says the
     * query asked for more rows than the org allows.
     *
     * <p>Bind values are String, BigDecimal, Boolean, java.time.LocalDate, and
     * java.time.LocalDateTime (a UTC wall-clock timestamp, or for a filter on a timeframe of a
     * timestamp, wall-clock time in the query's timezone); none is ever null.
     */
    record Compiled(String sql, List<Object> binds, List<ColumnInfo> columns, int effectiveLimit, boolean cappedByRowCap,
                    java.util.Set<String> timeZones) implements Compilation {
        public Compiled {
            requireNonNull(sql, "sql is null");
            binds = List.copyOf(binds);
            columns = List.copyOf(columns);
            timeZones = java.util.Set.copyOf(timeZones);
        }

        /** How many rows the SQL fetches at most. */
        public int fetchLimit() {
            return effectiveLimit + 1;
        }
    }

    /**
     * The query cannot run for this person. The message is safe to show: a denied topic or field
     * gets exactly the message of one that was never defined.
     */
    record Refused(String publicMessage) implements Compilation {
        public Refused {
            requireNonNull(publicMessage, "publicMessage is null");
        }
    }
}
