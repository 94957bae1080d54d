package dev.warden.server.query;

import dev.warden.semantic.compile.ColumnInfo;
import java.io.IOException;
import java.io.Writer;
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
        List<List<Object>> rows = result.rows().stream().map(r -> wireRow(r, zone)).toList();
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

    private static List<Object> wireRow(Object[] row, ZoneId zone) {
        Object[] out = new Object[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = wire(row[i], zone);
        }
        return java.util.Arrays.asList(out);
    }

    static Object wire(Object v, ZoneId zone) {
        return switch (v) {
            case null -> null;
            case LocalDate d -> d.toString();
            // Timestamps arrive as wall-clock time already moved into the query's zone by the SQL.
            case LocalDateTime t -> t.atZone(zone).toOffsetDateTime().toString();
            case OffsetDateTime t -> t.atZoneSameInstant(zone).toOffsetDateTime().toString();
            default -> v;
        };
    }

    static void csvHeader(Writer out, List<ColumnInfo> columns) throws IOException {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            csvField(out, columns.get(i).name());
        }
        out.write("\r\n");
    }

    static void csvRow(Writer out, Object[] row, ZoneId zone) throws IOException {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            Object v = wire(row[i], zone);
            if (v == null) {
                continue; // an empty field: null
            }
            csvField(out, v instanceof BigDecimal d ? d.toPlainString()
                    : v instanceof String text ? defused(text) : v.toString());
        }
        out.write("\r\n");
    }

    /**
     * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
     * leading apostrophe (OWASP's CSV-injection advice). Numbers are never touched: only strings
     * from the warehouse can carry a formula.
     */
    static String defused(String text) {
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return text;
    }

    private static void csvField(Writer out, String text) throws IOException {
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            out.write(text);
            return;
        }
        out.write('"');
        out.write(text.replace("\"", "\"\""));
        out.write('"');
    }
}
