package dev.warden.server.query;

import dev.warden.semantic.compile.ColumnInfo;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Query results on the wire. Numbers are JSON numbers written from the exact decimal the
 * warehouse returned (never through a double, never in exponent form); dates are YYYY-MM-DD;
 * timestamps are ISO 8601 with the offset of the query's timezone. CSV follows RFC 4180.
 */
final class ResultWriter {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private ResultWriter() {}

    static byte[] json(QueryService.Result result, ZoneId zone, String sqlOrNull) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("columns", columns(result.columns()));
        boolean[] utc = utcColumns(result.columns());
        List<List<Object>> rows = result.rows().stream().map(r -> wireRow(r, utc, zone)).toList();
        body.put("rows", rows);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("row_count", rows.size());
        meta.put("truncated", result.truncated());
        meta.put("cache", result.cacheHit() ? "hit" : "miss");
        meta.put("duration_ms", result.durationMillis());
        meta.put("query_id", result.queryId());
        meta.put("timezone", zone.getId());
        body.put("meta", meta);
        if (sqlOrNull != null) {
            body.put("sql", sqlOrNull);
        }
        return JSON.writeValueAsBytes(body);
    }

    static byte[] jsonOf(Object value) {
        return JSON.writeValueAsBytes(value);
    }

    static List<Map<String, Object>> columns(List<ColumnInfo> columns) {
        return columns.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("label", c.label());
            m.put("type", c.type());
            m.put("kind", c.kind());
            c.format().ifPresent(f -> m.put("format", f));
            return m;
        }).toList();
    }

    /** Which columns hold UTC timestamps (see {@link ColumnInfo#utc}). */
    static boolean[] utcColumns(List<ColumnInfo> columns) {
        boolean[] utc = new boolean[columns.size()];
        for (int i = 0; i < utc.length; i++) {
            utc[i] = columns.get(i).utc();
        }
        return utc;
    }

    private static List<Object> wireRow(Object[] row, boolean[] utc, ZoneId zone) {
        Object[] out = new Object[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = i < utc.length && utc[i] && row[i] instanceof LocalDateTime t ? inZone(t, zone).toString()
                    : wire(row[i], zone);
        }
        return java.util.Arrays.asList(out);
    }

    /** A UTC timestamp as the instant it is, in {@code zone}: the offset is never ambiguous. */
    static OffsetDateTime inZone(LocalDateTime utc, ZoneId zone) {
        return utc.atOffset(java.time.ZoneOffset.UTC).atZoneSameInstant(zone).toOffsetDateTime();
    }

    static Object wire(Object v, ZoneId zone) {
        return switch (v) {
            case null -> null;
            case LocalDate d -> d.toString();
            // A timestamp truncated to a timeframe (hour) arrives as wall-clock time in the query's
            // zone, moved there by the SQL; in the hour a zone repeats, the earlier offset is taken.
            case LocalDateTime t -> t.atZone(zone).toOffsetDateTime().toString();
            case OffsetDateTime t -> t.atZoneSameInstant(zone).toOffsetDateTime().toString();
            default -> v;
        };
    }

    /**
     * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
     * leading apostrophe (OWASP's CSV-injection advice). Numbers are never touched: only strings
     * from the warehouse can carry a formula.
     */
    static String defused(String text) {
        if (!text.isEmpty() && formulaStart(text.charAt(0))) {
            return "'" + text;
        }
        return text;
    }

    /**
     * {@code true} where a text cell starting with this character would run as a formula; see
     * {@link #defused}.
     */
    private static boolean formulaStart(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    /**
     * A CSV export, written as UTF-8 bytes straight into one reusable buffer that goes to the
     * response in 64 KiB writes: no Writer, no String per number, date or timestamp, no charset
     * encoder. The bytes are exactly those of formatting each cell as {@link #wire} does and
     * writing it through a UTF-8 {@code OutputStreamWriter}: RFC 4180 quoting (a field with a
     * comma, quote, CR or LF is quoted, quotes doubled), text defused as {@link #defused} says
     * (dates and timestamps are text there too), {@link BigDecimal#toPlainString} for decimals,
     * {@code OffsetDateTime.toString} for timestamps in the query's zone, NULL as an empty field,
     * and {@code ?} for a lone UTF-16 surrogate. Values outside the fast paths (years outside
     * 0000..9999, a wall-clock time in a DST gap, an {@code OffsetDateTime}) take exactly that
     * slow path. Text may also arrive as UTF-8 bytes ({@code byte[]}, from DuckDB) and is written
     * as the same text would be. Not thread-safe: one per export.
     */
    static final class Csv {
        private static final int BUFFER = 1 << 16;
        /** The largest cell any fast path writes at once (a timestamp: 38 bytes), with room to spare. */
        private static final int CELL = 64;

        private final java.io.OutputStream out;
        private final ZoneId zone;
        private final java.time.zone.ZoneRules rules;
        /** The zone's offset when it never changes (UTC, a fixed offset), else null. */
        private final java.time.ZoneOffset fixed;
        private final byte[] buffer = new byte[BUFFER];
        private int position;
        /** The columns holding UTC timestamps, from the header. */
        private boolean[] utc = new boolean[0];

        Csv(java.io.OutputStream out, ZoneId zone) {
            this.out = out;
            this.zone = zone;
            this.rules = zone.getRules();
            this.fixed = rules.isFixedOffset() ? rules.getOffset(java.time.Instant.EPOCH) : null;
        }

        void header(List<ColumnInfo> columns) throws java.io.IOException {
            utc = utcColumns(columns);
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    ascii(',');
                }
                text(columns.get(i).name(), false);
            }
            endRow();
        }

        void row(Object[] row) throws java.io.IOException {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    ascii(',');
                }
                if (i < utc.length && utc[i] && row[i] instanceof LocalDateTime t) {
                    instant(t);
                } else {
                    cell(row[i]);
                }
            }
            endRow();
        }

        /** Sends what is buffered and flushes the response. */
        void flush() throws java.io.IOException {
            drain();
            out.flush();
        }

        private void cell(Object v) throws java.io.IOException {
            switch (v) {
                case null -> { } // an empty field: null
                case String text -> text(text, true);
                case byte[] utf8 -> utf8(utf8);
                case Long n -> integer(n);
                case BigDecimal d -> plain(d.toPlainString());
                case LocalDateTime t -> timestamp(t);
                case LocalDate d -> {
                    if (d.getYear() >= 0 && d.getYear() <= 9999) {
                        room(CELL);
                        date(d);
                    } else {
                        text(d.toString(), true);
                    }
                }
                case OffsetDateTime t -> text(wire(t, zone).toString(), true);
                default -> text(v.toString(), false);
            }
        }

        /** A UTC timestamp, written as {@link #inZone} gives it: the instant's own offset. */
        private void instant(LocalDateTime t) throws java.io.IOException {
            java.time.ZoneOffset offset = fixed != null ? fixed
                    : rules.getOffset(java.time.Instant.ofEpochSecond(t.toEpochSecond(java.time.ZoneOffset.UTC)));
            LocalDateTime local = t.plusSeconds(offset.getTotalSeconds());
            if (local.getYear() < 0 || local.getYear() > 9999) {
                text(inZone(t, zone).toString(), true); // odd years: as toString does
                return;
            }
            timestamp(local, offset);
        }

        private void timestamp(LocalDateTime t) throws java.io.IOException {
            java.time.ZoneOffset offset = fixed;
            if (offset == null) {
                java.time.zone.ZoneOffsetTransition transition = rules.getTransition(t);
                if (transition == null) {
                    offset = rules.getOffset(t);
                } else if (transition.isOverlap()) {
                    offset = transition.getOffsetBefore(); // what atZone picks: the earlier offset
                }
            }
            if (offset == null || t.getYear() < 0 || t.getYear() > 9999) {
                text((String) wire(t, zone), true); // a DST gap shifts the time; odd years: as toString does
                return;
            }
            timestamp(t, offset);
        }

        /** Wall-clock time {@code t} (year 0000..9999) and its offset, as OffsetDateTime.toString writes them. */
        private void timestamp(LocalDateTime t, java.time.ZoneOffset offset) throws java.io.IOException {
            room(CELL);
            date(t.toLocalDate());
            buffer[position++] = 'T';
            two(t.getHour());
            buffer[position++] = ':';
            two(t.getMinute());
            int second = t.getSecond();
            int nano = t.getNano();
            if (second > 0 || nano > 0) {
                buffer[position++] = ':';
                two(second);
                if (nano > 0) {
                    buffer[position++] = '.';
                    if (nano % 1_000_000 == 0) {
                        digits(nano / 1_000_000, 3);
                    } else if (nano % 1_000 == 0) {
                        digits(nano / 1_000, 6);
                    } else {
                        digits(nano, 9);
                    }
                }
            }
            String id = offset.getId(); // "Z", "+01:00", "-01:02:03"
            for (int i = 0; i < id.length(); i++) {
                buffer[position++] = (byte) id.charAt(i);
            }
        }

        /** YYYY-MM-DD of a year in 0000..9999; the caller made room. */
        private void date(LocalDate d) {
            digits(d.getYear(), 4);
            buffer[position++] = '-';
            two(d.getMonthValue());
            buffer[position++] = '-';
            two(d.getDayOfMonth());
        }

        private void two(int value) {
            buffer[position++] = (byte) ('0' + value / 10);
            buffer[position++] = (byte) ('0' + value % 10);
        }

        /** {@code value} (>= 0) in exactly {@code width} digits, zero-padded. */
        private void digits(int value, int width) {
            for (int i = position + width - 1; i >= position; i--) {
                buffer[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            position += width;
        }

        private void integer(long n) throws java.io.IOException {
            if (n == Long.MIN_VALUE) {
                plain(Long.toString(n));
                return;
            }
            room(CELL);
            if (n < 0) {
                buffer[position++] = '-';
                n = -n;
            }
            int length = 1;
            for (long rest = n / 10; rest > 0; rest /= 10) {
                length++;
            }
            for (int i = position + length - 1; i >= position; i--) {
                buffer[i] = (byte) ('0' + (int) (n % 10));
                n /= 10;
            }
            position += length;
        }

        /** ASCII text that never needs quoting or defusing (a plain decimal). */
        private void plain(String ascii) throws java.io.IOException {
            int n = ascii.length();
            if (n > BUFFER - position) {
                drain();
                if (n > BUFFER) {
                    text(ascii, false); // a decimal of over 64 Ki digits: the general path copes
                    return;
                }
            }
            for (int i = 0; i < n; i++) {
                buffer[position++] = (byte) ascii.charAt(i);
            }
        }

        /** A text field: defused if asked, quoted if needed, encoded as UTF-8. */
        private void text(String s, boolean defuse) throws java.io.IOException {
            int n = s.length();
            boolean quote = false;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                    quote = true;
                    break;
                }
            }
            room(2);
            if (quote) {
                buffer[position++] = '"';
            }
            if (defuse && n > 0 && formulaStart(s.charAt(0))) {
                buffer[position++] = '\'';
            }
            int limit = BUFFER - 4;
            for (int i = 0; i < n; i++) {
                if (position > limit) {
                    drain();
                }
                char c = s.charAt(i);
                if (c < 0x80) {
                    if (c == '"') {
                        buffer[position++] = '"'; // only in a quoted field: doubled
                    }
                    buffer[position++] = (byte) c;
                } else if (c < 0x800) {
                    buffer[position++] = (byte) (0xc0 | c >> 6);
                    buffer[position++] = (byte) (0x80 | c & 0x3f);
                } else if (!Character.isSurrogate(c)) {
                    buffer[position++] = (byte) (0xe0 | c >> 12);
                    buffer[position++] = (byte) (0x80 | c >> 6 & 0x3f);
                    buffer[position++] = (byte) (0x80 | c & 0x3f);
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    buffer[position++] = (byte) (0xf0 | cp >> 18);
                    buffer[position++] = (byte) (0x80 | cp >> 12 & 0x3f);
                    buffer[position++] = (byte) (0x80 | cp >> 6 & 0x3f);
                    buffer[position++] = (byte) (0x80 | cp & 0x3f);
                } else {
                    buffer[position++] = '?'; // a lone surrogate, replaced as the UTF-8 encoder replaces it
                }
            }
            if (quote) {
                room(1);
                buffer[position++] = '"';
            }
        }

        /**
         * A text field that arrived as UTF-8 bytes: the same bytes {@link #text} writes for the
         * String they encode (defused, quoted where needed, quotes doubled), copied without
         * decoding. Only the ASCII bytes that decide quoting and defusing are looked at; every byte
         * of a multi-byte character is 0x80 or above, so none is mistaken for one.
         */
        private void utf8(byte[] s) throws java.io.IOException {
            int n = s.length;
            boolean quote = false;
            for (byte b : s) {
                if (b == ',' || b == '"' || b == '\r' || b == '\n') {
                    quote = true;
                    break;
                }
            }
            room(2);
            if (quote) {
                buffer[position++] = '"';
            }
            if (n > 0 && s[0] >= 0 && formulaStart((char) s[0])) {
                buffer[position++] = '\'';
            }
            if (!quote) {
                for (int from = 0; from < n; ) {
                    if (position == BUFFER) {
                        drain();
                    }
                    int length = Math.min(n - from, BUFFER - position);
                    System.arraycopy(s, from, buffer, position, length);
                    position += length;
                    from += length;
                }
                return;
            }
            for (byte b : s) {
                room(2);
                if (b == '"') {
                    buffer[position++] = '"';
                }
                buffer[position++] = b;
            }
            room(1);
            buffer[position++] = '"';
        }

        private void ascii(char c) throws java.io.IOException {
            room(1);
            buffer[position++] = (byte) c;
        }

        private void endRow() throws java.io.IOException {
            room(2);
            buffer[position++] = '\r';
            buffer[position++] = '\n';
        }

        private void room(int bytes) throws java.io.IOException {
            if (position + bytes > BUFFER) {
                drain();
            }
        }

        private void drain() throws java.io.IOException {
            if (position > 0) {
                out.write(buffer, 0, position);
                position = 0;
            }
        }
    }

    /**
     * One CSV export in progress, on two threads. The caller's thread reads rows from the
     * warehouse and hands them over in batches of {@value #BATCH}; a second thread formats them
     * ({@link Csv}) and writes them to the response. Reading is the larger part (for DuckDB, the
     * driver turning every string into a Java String), so on two cores the formatting and the
     * socket writes overlap it instead of following it. Memory stays bounded: at most
     * {@value #QUEUE} batches wait. When a write fails (the client went away), the next
     * {@link #row} or {@link #finish} throws, which stops and cancels the statement as a failed
     * write on a single thread did. Rows are written in the order they were handed over.
     */
    static final class CsvExport implements AutoCloseable {
        private static final int BATCH = 1024;
        private static final int QUEUE = 4;
        /** Marks the end of the rows. */
        private static final Object[][] END = new Object[0][];

        private final java.util.concurrent.BlockingQueue<Object[][]> queue =
                new java.util.concurrent.ArrayBlockingQueue<>(QUEUE);
        private final Csv csv;
        private final List<ColumnInfo> columns;
        private final Thread writer;
        /** Why the writer stopped early; set once, read by the reading thread. */
        private volatile Throwable failure;
        /** Set when the export is abandoned: the writer stops without writing what is still queued. */
        private volatile boolean abandoned;
        private Object[][] batch = new Object[BATCH][];
        private int size;

        CsvExport(java.io.OutputStream out, ZoneId zone, List<ColumnInfo> columns) {
            this.csv = new Csv(out, zone);
            this.columns = columns;
            this.writer = Thread.ofPlatform().name("csv-export").daemon().unstarted(this::write);
            writer.start();
        }

        /** Hands one row over; throws if writing has failed. */
        void row(Object[] values) throws java.io.IOException {
            batch[size++] = values;
            if (size == BATCH) {
                hand(batch);
                batch = new Object[BATCH][];
                size = 0;
            }
        }

        /** Hands the last rows over and waits until everything is written and flushed. */
        void finish() throws java.io.IOException {
            if (size > 0) {
                hand(java.util.Arrays.copyOf(batch, size));
                size = 0;
            }
            hand(END);
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the CSV export was written");
            }
            failed();
        }

        /** Stops the writer if the export ended without {@link #finish} (the warehouse failed). */
        @Override
        public void close() {
            if (writer.isAlive()) {
                abandoned = true;
                writer.interrupt();
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void write() {
            try {
                csv.header(columns);
                while (true) {
                    Object[][] rows = queue.take();
                    if (abandoned) {
                        return;
                    }
                    if (rows == END) {
                        csv.flush();
                        return;
                    }
                    for (Object[] row : rows) {
                        csv.row(row);
                    }
                }
            } catch (Throwable e) {
                failure = e;
                queue.clear(); // a reader waiting for room sees the failure at once
            }
        }

        private void hand(Object[][] rows) throws java.io.IOException {
            try {
                while (!queue.offer(rows, 20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    failed();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the CSV export was written");
            }
            failed();
        }

        private void failed() throws java.io.IOException {
            Throwable f = failure;
            if (f == null) {
                return;
            }
            if (f instanceof java.io.IOException io) {
                throw io;
            }
            throw new java.io.IOException("the CSV export failed", f);
        }
    }
}
