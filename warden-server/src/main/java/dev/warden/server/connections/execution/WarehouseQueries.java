package dev.warden.server.connections.execution;

import dev.warden.server.connections.Connection;
import dev.warden.server.connections.ConnectionType;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Service;

/**
 * Runs compiled, bound SQL on a connection's warehouse and streams the rows to a handler, with a
 * statement timeout, a row cap and cancellation. Values arrive as Long, BigDecimal (exactly the
 * decimal the warehouse returned), String, Boolean, LocalDate, LocalDateTime or OffsetDateTime.
 */
@Service
public final class WarehouseQueries {
    private static final int FETCH_SIZE = 10_000;
    /** A column type of this class's own, outside {@link Types}: DuckDB's plain TIMESTAMP (see {@link #duckdbTimestamp}). */
    private static final int DUCKDB_TIMESTAMP = Integer.MIN_VALUE + 1;
    /** Another of this class's own: text read as UTF-8 bytes (see {@link #runWithTextAsUtf8}). */
    private static final int UTF8_TEXT = Integer.MIN_VALUE + 2;

    private final WarehousePools pools;
    /** Zones a MySQL connection was seen to convert to, by connection id, version and zone. */
    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> zonesKnown =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).build();

    WarehouseQueries(WarehousePools pools) {
        this.pools = pools;
    }

    /** Receives a result as it streams. Returning false from {@link #row} stops reading. */
    public interface RowHandler {
        void start(List<String> columnLabels) throws Exception;

        boolean row(Object[] values) throws Exception;
    }

    /** Lets another thread cancel a running statement (a client that went away). */
    public static final class Cancellation {
        private final AtomicReference<PreparedStatement> running = new AtomicReference<>();
        private volatile boolean cancelled;

        public void cancel() {
            cancelled = true;
            PreparedStatement statement = running.get();
            if (statement != null) {
                try {
                    statement.cancel();
                } catch (SQLException ignored) {
                    // the statement may have finished meanwhile; nothing is left to cancel
                }
            }
        }

        public boolean cancelled() {
            return cancelled;
        }
    }

    /**
     * Fails with {@link WarehouseFailure.Kind#TIME_ZONE_UNKNOWN} unless the warehouse can move
     * timestamps into {@code zone}. Only MySQL can fail here: it knows named zones only from its
     * time zone tables, and without them (or without that zone) CONVERT_TZ quietly yields NULL,
     * which would come back as timestamps that are simply missing. Zones that never change their
     * offset go as offsets (see the dialect) and need no check. A zone found once is remembered
     * for that version of the connection; one not found is asked about again next time, so
     * loading the tables mends it without a restart.
     */
    public void requireTimeZone(Connection connection, java.time.ZoneId zone) {
        if (connection.type() != ConnectionType.MYSQL || zone.getRules().isFixedOffset()) {
            return;
        }
        String key = connection.id() + ":" + connection.version() + ":" + zone.getId();
        if (zonesKnown.getIfPresent(key) != null) {
            return;
        }
        try (java.sql.Connection jdbc = pools.pool(connection).getConnection();
             PreparedStatement statement = jdbc.prepareStatement("SELECT CONVERT_TZ('2000-01-01 00:00:00', '+00:00', ?)")) {
            statement.setQueryTimeout(10);
            statement.setString(1, zone.getId());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next() || rs.getObject(1) == null) {
                    throw new WarehouseFailure(WarehouseFailure.Kind.TIME_ZONE_UNKNOWN);
                }
            }
            zonesKnown.put(key, Boolean.TRUE);
        } catch (SQLException e) {
            throw new WarehouseFailure(FailureClassifier.classify(e, isConnectFailure(e), tlsRequired(connection)));
        }
    }

    /** Runs {@code sql}; returns how many rows the handler received. Text arrives as {@code String}. */
    public long run(Connection connection, String sql, List<Object> binds, int timeoutSeconds,
                    Cancellation cancellation, RowHandler handler) {
        return run(connection, sql, binds, timeoutSeconds, cancellation, handler, false);
    }

    /**
     * The same, for a consumer that writes text out as UTF-8 anyway (a CSV export): text may
     * arrive as a {@code byte[]} of UTF-8 instead of a {@code String}. DuckDB's driver turns every
     * VARCHAR of a fetched chunk into a Java String in its native fetch, which costs most of an
     * export's reading time; asked for the same text as a BLOB ({@code encode}), it hands over
     * the bytes. Other engines send Strings as before.
     */
    public long runWithTextAsUtf8(Connection connection, String sql, List<Object> binds, int timeoutSeconds,
                                  Cancellation cancellation, RowHandler handler) {
        return run(connection, sql, binds, timeoutSeconds, cancellation, handler, true);
    }

    private long run(Connection connection, String sql, List<Object> binds, int timeoutSeconds,
                     Cancellation cancellation, RowHandler handler, boolean textAsUtf8) {
        try (java.sql.Connection jdbc = pools.pool(connection).getConnection()) {
            boolean streaming = connection.type() == ConnectionType.POSTGRES;
            if (streaming) {
                jdbc.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            }
            boolean[] utf8 = null; // the result's columns that hold text as UTF-8 bytes
            if (textAsUtf8 && connection.type() == ConnectionType.DUCKDB) {
                TextAsBlobs rewritten = duckdbTextAsBlobs(jdbc, sql);
                sql = rewritten.sql();
                utf8 = rewritten.utf8();
            }
            try (PreparedStatement statement = jdbc.prepareStatement(sql)) {
                statement.setQueryTimeout(timeoutSeconds);
                statement.setFetchSize(FETCH_SIZE);
                for (int i = 0; i < binds.size(); i++) {
                    statement.setObject(i + 1, binds.get(i));
                }
                cancellation.running.set(statement);
                if (cancellation.cancelled()) {
                    throw new WarehouseFailure(WarehouseFailure.Kind.CANCELLED);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    int n = meta.getColumnCount();
                    List<String> labels = new ArrayList<>(n);
                    int[] types = new int[n];
                    for (int i = 0; i < n; i++) {
                        labels.add(meta.getColumnLabel(i + 1));
                        types[i] = meta.getColumnType(i + 1);
                        if (types[i] == Types.TIMESTAMP && connection.type() == ConnectionType.DUCKDB
                                && "TIMESTAMP".equals(meta.getColumnTypeName(i + 1))) {
                            types[i] = DUCKDB_TIMESTAMP;
                        }
                        if (utf8 != null && utf8[i]) {
                            types[i] = UTF8_TEXT;
                        }
                    }
                    handler.start(labels);
                    Days days = new Days();
                    long rows = 0;
                    while (rs.next()) {
                        Object[] values = new Object[n];
                        for (int i = 0; i < n; i++) {
                            values[i] = types[i] == DUCKDB_TIMESTAMP ? duckdbTimestamp(rs, i + 1, days)
                                    : types[i] == UTF8_TEXT ? rs.getBytes(i + 1)
                                    : read(rs, i + 1, types[i]);
                        }
                        rows++;
                        if (!handler.row(values)) {
                            break;
                        }
                    }
                    if (cancellation.cancelled()) {
                        // a driver that ends a cancelled result quietly must not pass for complete
                        throw new WarehouseFailure(WarehouseFailure.Kind.CANCELLED);
                    }
                    return rows;
                } finally {
                    cancellation.running.set(null);
                    if (streaming) {
                        jdbc.rollback();
                    }
                }
            }
        } catch (WarehouseFailure e) {
            throw e;
        } catch (SQLException e) {
            if (cancellation.cancelled()) {
                throw new WarehouseFailure(WarehouseFailure.Kind.CANCELLED);
            }
            throw new WarehouseFailure(FailureClassifier.classify(e, isConnectFailure(e), tlsRequired(connection)));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // The handler failed (the client went away while rows were streaming).
            throw new WarehouseFailure(WarehouseFailure.Kind.CANCELLED);
        }
    }

    /** Opens a connection and runs a trivial statement, to say clearly what fails. */
    public void test(Connection connection) {
        try (java.sql.Connection jdbc = pools.open(connection);
             var statement = jdbc.createStatement()) {
            statement.setQueryTimeout(10);
            statement.execute("SELECT 1");
        } catch (WarehouseFailure e) {
            throw e;
        } catch (SQLException e) {
            throw new WarehouseFailure(FailureClassifier.classify(e, true, tlsRequired(connection)));
        } finally {
            // the pool, if any, is rebuilt from the connection as it is now
            pools.evict(connection.id());
        }
    }

    private static boolean tlsRequired(Connection connection) {
        return connection.type().networked()
                && connection.settings().tlsMode() != dev.warden.server.connections.TlsMode.DISABLE;
    }

    public void forget(java.util.UUID connectionId) {
        pools.evict(connectionId);
    }

    private static boolean isConnectFailure(SQLException e) {
        return e.getSQLState() != null && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("28"));
    }

    /**
     * {@code sql} with every VARCHAR column of its result as a BLOB of the same UTF-8 bytes, and
     * nothing else changed: same columns, names and order, same rows in the same order (a
     * projection over the query; DuckDB keeps the order of a projected subquery's rows). Real BLOB
     * columns are left out of the rewrite, and a result without text is left alone.
     */
    private static TextAsBlobs duckdbTextAsBlobs(java.sql.Connection jdbc, String sql) throws SQLException {
        try (PreparedStatement probe = jdbc.prepareStatement(sql)) {
            ResultSetMetaData meta = probe.getMetaData();
            int n = meta.getColumnCount();
            boolean[] utf8 = new boolean[n];
            boolean text = false;
            // The inner columns are renamed by position (c1, c2, ...): DuckDB matches quoted names
            // without regard to case, so two labels that differ only in case could not be told apart.
            StringBuilder select = new StringBuilder("SELECT ");
            StringBuilder names = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                String label = "\"" + meta.getColumnLabel(i).replace("\"", "\"\"") + "\"";
                select.append(i > 1 ? ", " : "");
                names.append(i > 1 ? ", " : "").append("c").append(i);
                if ("VARCHAR".equals(meta.getColumnTypeName(i))) {
                    select.append("encode(warden_rows.c").append(i).append(") AS ").append(label);
                    utf8[i - 1] = true;
                    text = true;
                } else {
                    select.append("warden_rows.c").append(i).append(" AS ").append(label);
                }
            }
            return text ? new TextAsBlobs(select.append(" FROM (").append(sql).append("\n) AS warden_rows(")
                    .append(names).append(")").toString(), utf8) : new TextAsBlobs(sql, null);
        }
    }

    private record TextAsBlobs(String sql, boolean[] utf8) {}

    /**
     * DuckDB's TIMESTAMP (microseconds since 1970-01-01 00:00, no zone). Its driver's
     * {@code getLong} answers that count, from which this builds the same LocalDateTime as
     * {@code getObject(column, LocalDateTime.class)} does (the driver's own conversion: the count
     * as an Instant, read in UTC), without the driver's Instant and its search through the
     * requested class, and taking each date from {@link Days} (a million rows seldom span more
     * than a few thousand days). Only plain TIMESTAMP: the driver's {@code getLong} does not
     * convert TIMESTAMP_S, _MS or _NS, which take {@link #read}.
     */
    private static LocalDateTime duckdbTimestamp(ResultSet rs, int column, Days days) throws SQLException {
        long micros = rs.getLong(column);
        if (rs.wasNull()) {
            return null;
        }
        long seconds = Math.floorDiv(micros, 1_000_000L);
        long nanoOfSecond = Math.floorMod(micros, 1_000_000L) * 1_000L;
        long secondOfDay = Math.floorMod(seconds, 86_400L);
        return LocalDateTime.of(days.of(Math.floorDiv(seconds, 86_400L)),
                LocalTime.ofNanoOfDay(secondOfDay * 1_000_000_000L + nanoOfSecond));
    }

    /** The dates of one export by epoch day, in a small direct-mapped table: bounded memory, no hashing. */
    private static final class Days {
        private static final int SIZE = 1 << 10;
        private final long[] keys = new long[SIZE];
        private final LocalDate[] dates = new LocalDate[SIZE];

        LocalDate of(long epochDay) {
            int slot = (int) (epochDay & (SIZE - 1));
            LocalDate date = dates[slot];
            if (date == null || keys[slot] != epochDay) {
                date = LocalDate.ofEpochDay(epochDay);
                dates[slot] = date;
                keys[slot] = epochDay;
            }
            return date;
        }
    }

    private static Object read(ResultSet rs, int column, int type) throws SQLException {
        Object value = switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
                long v = rs.getLong(column);
                yield rs.wasNull() ? null : v;
            }
            case Types.NUMERIC, Types.DECIMAL -> rs.getBigDecimal(column);
            case Types.DOUBLE, Types.FLOAT, Types.REAL -> {
                double v = rs.getDouble(column);
                // The shortest decimal that reads back as the same double: what the warehouse printed.
                yield rs.wasNull() ? null : Double.isFinite(v) ? new BigDecimal(Double.toString(v)) : Double.toString(v);
            }
            case Types.BOOLEAN, Types.BIT -> {
                boolean v = rs.getBoolean(column);
                yield rs.wasNull() ? null : v;
            }
            case Types.DATE -> rs.getObject(column, LocalDate.class);
            case Types.TIMESTAMP -> rs.getObject(column, LocalDateTime.class);
            case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(column, OffsetDateTime.class);
            default -> {
                Object o = rs.getObject(column);
                yield o == null ? null : o instanceof Number num ? new BigDecimal(num.toString()) : o.toString();
            }
        };
        return value;
    }
}
