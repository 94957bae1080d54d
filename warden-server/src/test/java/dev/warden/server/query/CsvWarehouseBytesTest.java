package dev.warden.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.connections.Connections;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import dev.warden.server.support.QueryFixtures;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The exact bytes of a CSV export from a DuckDB warehouse, through HTTP: how each warehouse type
 * is read (DECIMAL of both widths, DOUBLE including NaN and infinities, BIGINT extremes, TIMESTAMP
 * moved into the query's zone, DATE, BOOLEAN, VARCHAR with quotes, line breaks, formula starts
 * and text beyond ASCII, NULLs) and written. Pinned on the writer as it was before it wrote bytes
 * directly.
 */
class CsvWarehouseBytesTest extends ApiTest {
    private static final String PATH = "e2e/csv-bytes.duckdb";
    private static final String MODEL = """
            connection: wh
            views:
              t:
                table: main.tricky
                primary_key: id
                dimensions:
                  id: { type: number }
                  label: { type: string }
                  amount: { type: number }
                  big: { type: number }
                  ratio: { type: number }
                  n: { type: number }
                  at: { type: timestamp, sql: "${TABLE}.ts" }
                  day: { type: date, sql: "${TABLE}.d" }
                  flag: { type: boolean }
            topics:
              t:
                base_view: t
                access_filters: []
            """;

    @Autowired
    AttributeRepository attributes;
    @Autowired
    Connections connections;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private static void warehouse() {
        QueryFixtures.duckdb(PATH, """
                    CREATE TABLE main.tricky (id INTEGER, label VARCHAR, amount DECIMAL(18, 4), big DECIMAL(38, 6),
                        ratio DOUBLE, n BIGINT, ts TIMESTAMP, d DATE, flag BOOLEAN)""", """
                    INSERT INTO main.tricky VALUES
                    (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                    (2, 'plain', 123.4500, 12345678901234567890.123456, 0.1, -9223372036854775808,
                        TIMESTAMP '2024-07-01 10:00:00', DATE '2024-02-29', true),
                    (3, 'with,comma and "quotes"', -0.0100, 0, 1e20, 9223372036854775807,
                        TIMESTAMP '2024-01-15 07:30:00.123456', DATE '0001-01-01', false),
                    (4, 'line' || chr(10) || 'break' || chr(13) || chr(10) || 'again', 0, -0.000001, 'NaN'::DOUBLE, 0,
                        TIMESTAMP '2024-10-27 00:30:00', DATE '9999-12-31', NULL),
                    (5, '=SUM(A1)', 99999999999999.9999, 99999999999999999999999999999999.999999, '-Infinity'::DOUBLE, -1,
                        TIMESTAMP '2024-10-27 01:30:00', NULL, true),
                    (6, '+1', 1, 1, 'Infinity'::DOUBLE, 1, TIMESTAMP '2024-03-31 01:00:00', NULL, NULL),
                    (7, '-2', NULL, NULL, -0.0, NULL, TIMESTAMP '2024-01-01 00:00:00.5', NULL, NULL),
                    (8, '@cmd', NULL, NULL, 1.5e-7, NULL, TIMESTAMP '2023-12-31 23:00:00.000001', NULL, NULL),
                    (9, chr(9) || 'tab first', NULL, NULL, 123456789.125, NULL, TIMESTAMP '1969-12-31 23:59:59', NULL, NULL),
                    (10, chr(13) || 'cr first', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                    (11, 'naïve café ✓ 東京 😀', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                    (12, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                    (13, '''quoted'' a=b', NULL, NULL, NULL, NULL, NULL, NULL, NULL)""");
    }

    @Test
    void everyWarehouseTypeIsWrittenExactly() throws Exception {
        warehouse();
        QueryFixtures q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        Fixtures.TestOrg org = q.org();
        String connection = q.connection(org, Map.of("name", "wh", "type", "duckdb", "path", PATH));
        q.model(org, connection, "tricky", MODEL);
        List<String> fields = List.of("t.id", "t.label", "t.amount", "t.big", "t.ratio", "t.n", "t.at", "t.day", "t.flag");
        Map<String, Object> query = QueryFixtures.query("t", fields,
                "sorts", List.of(Map.of("field", "t.id", "direction", "asc")), "timezone", "Europe/Paris", "cache", false);

        HttpResponse<byte[]> response = export(q, org, query);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).isEqualTo("text/csv;charset=UTF-8");
        // Rows 4 and 5 are 00:30 and 01:30 UTC, the two 02:30s of the night Paris repeats an hour:
        // raw timestamps leave the warehouse in UTC and get each instant's own offset.
        String expected = String.join("\r\n",
                "t.id,t.label,t.amount,t.big,t.ratio,t.n,t.at,t.day,t.flag",
                "1,,,,,,,,",
                "2,plain,123.4500,12345678901234567890.123456,0.1,-9223372036854775808,2024-07-01T12:00+02:00,2024-02-29,true",
                "3,\"with,comma and \"\"quotes\"\"\",-0.0100,0.000000,100000000000000000000,9223372036854775807,"
                        + "2024-01-15T08:30:00.123456+01:00,0001-01-01,false",
                "4,\"line\nbreak\r\nagain\",0.0000,-0.000001,NaN,0,2024-10-27T02:30+02:00,9999-12-31,",
                "5,'=SUM(A1),99999999999999.9999,99999999999999999999999999999999.999999,'-Infinity,-1,"
                        + "2024-10-27T02:30+01:00,,true",
                "6,'+1,1.0000,1.000000,Infinity,1,2024-03-31T03:00+02:00,,",
                "7,'-2,,,0.0,,2024-01-01T01:00:00.500+01:00,,",
                "8,'@cmd,,,0.00000015,,2024-01-01T00:00:00.000001+01:00,,",
                "9,'\ttab first,,,123456789.125,,1970-01-01T00:59:59+01:00,,",
                "10,\"'\rcr first\",,,,,,,",
                "11,naïve café ✓ 東京 😀,,,,,,,",
                "12,,,,,,,,",
                "13,'quoted' a=b,,,,,,,",
                "");
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo(expected);
        assertThat(response.body()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * DuckDB TIMESTAMPs are read from the driver's microsecond count (WarehouseQueries): over
     * thousands of values from the 14th to the 27th century, before and after 1970, with and
     * without fractions, the export must match the driver's own LocalDateTime (UTC, as stored)
     * shown as that instant in a zone with DST.
     */
    @Test
    void timestampsMatchTheDriversOwnConversion() throws Exception {
        Path file = QueryFixtures.duckdb("e2e/csv-timestamps.duckdb", """
                    CREATE TABLE main.stamps AS
                    SELECT range AS id, TIMESTAMP '1970-01-01 00:00:00' + to_microseconds(
                        CAST(hash(range) % 40000000000000000 AS BIGINT) - 20000000000000000
                        + CASE WHEN range % 3 = 0 THEN 0 ELSE range % 1000000 END) AS ts
                    FROM range(5000)
                    UNION ALL SELECT 5000, TIMESTAMP '1969-12-31 23:59:59.999999'
                    UNION ALL SELECT 5001, TIMESTAMP '1970-01-01 00:00:00'
                    UNION ALL SELECT 5002, TIMESTAMP '1899-12-31 23:59:59.000001'""");
        QueryFixtures q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        Fixtures.TestOrg org = q.org();
        String connection = q.connection(org, Map.of("name", "wh", "type", "duckdb", "path", "e2e/csv-timestamps.duckdb"));
        q.model(org, connection, "stamps", """
                connection: wh
                views:
                  s:
                    table: main.stamps
                    primary_key: id
                    dimensions:
                      id: { type: number }
                      ts: { type: timestamp }
                topics:
                  s:
                    base_view: s
                    access_filters: []
                """);
        java.time.ZoneId zone = java.time.ZoneId.of("America/New_York");
        Map<String, Object> query = QueryFixtures.query("s", List.of("s.id", "s.ts"),
                "sorts", List.of(Map.of("field", "s.id", "direction", "asc")), "timezone", zone.getId(),
                "limit", 10_000, "cache", false);
        var compiled = q.api().post(org.admin().key(), "/api/v1/query/sql", query).json();
        assertThat(compiled.get("bind_count").asInt()).as("a raw timestamp is selected as stored, in UTC").isZero();
        String sql = compiled.get("sql").stringValue();

        StringBuilder expected = new StringBuilder("s.id,s.ts\r\n");
        try (var c = DriverManager.getConnection("jdbc:duckdb:" + file); var s = c.prepareStatement(sql)) {
            var rs = s.executeQuery();
            while (rs.next()) {
                var t = rs.getObject(2, java.time.LocalDateTime.class);
                String text = t.atOffset(java.time.ZoneOffset.UTC).atZoneSameInstant(zone).toOffsetDateTime().toString();
                expected.append(rs.getLong(1)).append(',')
                        .append(text.startsWith("-") || text.startsWith("+") ? "'" + text : text).append("\r\n");
            }
        }
        HttpResponse<byte[]> response = export(q, org, query);
        assertThat(response.statusCode()).isEqualTo(200);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(body.lines().count()).isEqualTo(5004);
        assertThat(body).isEqualTo(expected.toString());
    }

    /**
     * A DuckDB export reads text as UTF-8 bytes through a projection over the compiled query
     * (WarehouseQueries.runWithTextAsUtf8). Over 400,000 rows (several of DuckDB's row groups,
     * read in parallel) sorted by a text column that is not the table's order, the export must
     * have exactly the rows, in exactly the order, of the compiled SQL run directly.
     */
    @Test
    void textAsBytesKeepsTheQuerysOrderAndRows() throws Exception {
        Path file = QueryFixtures.duckdb("e2e/csv-order.duckdb", """
                    CREATE TABLE main.words AS
                    SELECT range AS id, 'w' || (hash(range) % 1000003) || CASE WHEN range % 7 = 0 THEN ',é"' ELSE '' END AS word,
                           CASE WHEN range % 11 = 0 THEN NULL ELSE ['x', 'y', 'z'][range % 3 + 1] END AS tag
                    FROM range(400000)""");
        QueryFixtures q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        Fixtures.TestOrg org = q.org();
        String connection = q.connection(org, Map.of("name", "wh", "type", "duckdb", "path", "e2e/csv-order.duckdb"));
        assertThat(jdbc.sql("UPDATE orgs SET row_limit = ? WHERE id = ?").params(1_000_000, org.id().value()).update())
                .isEqualTo(1);
        q.model(org, connection, "words", """
                connection: wh
                views:
                  w:
                    table: main.words
                    primary_key: id
                    dimensions:
                      id: { type: number }
                      word: { type: string }
                      tag: { type: string }
                topics:
                  w:
                    base_view: w
                    access_filters: []
                """);
        Map<String, Object> query = QueryFixtures.query("w", List.of("w.tag", "w.word", "w.id"),
                "sorts", List.of(Map.of("field", "w.word", "direction", "desc"), Map.of("field", "w.id", "direction", "asc")),
                "limit", 500_000, "cache", false);
        var compiled = q.api().post(org.admin().key(), "/api/v1/query/sql", query).json();
        String sql = compiled.get("sql").stringValue();
        assertThat(compiled.get("bind_count").asInt()).isZero();

        StringBuilder expected = new StringBuilder("w.tag,w.word,w.id\r\n");
        try (var c = DriverManager.getConnection("jdbc:duckdb:" + file); var s = c.prepareStatement(sql);
             var rs = s.executeQuery()) {
            while (rs.next()) {
                String tag = rs.getString(1);
                String word = rs.getString(2);
                expected.append(tag == null ? "" : tag).append(',')
                        .append(word.contains(",") ? "\"" + word.replace("\"", "\"\"") + "\"" : word).append(',')
                        .append(rs.getLong(3)).append("\r\n");
            }
        }
        HttpResponse<byte[]> response = export(q, org, query);
        assertThat(response.statusCode()).isEqualTo(200);
        byte[] want = expected.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(response.body().length).isEqualTo(want.length);
        assertThat(java.util.Arrays.mismatch(response.body(), want)).as("first differing byte").isEqualTo(-1);
    }

    /**
     * DuckDB matches quoted names without regard to case: two fields whose names differ only in
     * case (a model may have both) must still come out as their own columns when text is read
     * as bytes (the rewrite names the query's columns by position).
     */
    @Test
    void fieldsWhoseNamesDifferOnlyInCaseKeepTheirOwnValues() throws Exception {
        QueryFixtures.duckdb("e2e/csv-case.duckdb",
                "CREATE TABLE main.pairs AS SELECT range AS id, 'lower ' || range AS lo, range * 10 AS hi FROM range(3)");
        QueryFixtures q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        Fixtures.TestOrg org = q.org();
        String connection = q.connection(org, Map.of("name", "wh", "type", "duckdb", "path", "e2e/csv-case.duckdb"));
        q.model(org, connection, "pairs", """
                connection: wh
                views:
                  p:
                    table: main.pairs
                    primary_key: id
                    dimensions:
                      id: { type: number }
                      amount: { type: string, sql: "${TABLE}.lo" }
                      Amount: { type: number, sql: "${TABLE}.hi" }
                topics:
                  p:
                    base_view: p
                    access_filters: []
                """);
        HttpResponse<byte[]> response = export(q, org, QueryFixtures.query("p", List.of("p.amount", "p.Amount", "p.id"),
                "sorts", List.of(Map.of("field", "p.id", "direction", "asc")), "cache", false));
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo("p.amount,p.Amount,p.id\r\nlower 0,0,0\r\nlower 1,10,1\r\nlower 2,20,2\r\n");
    }

    /** The query exported as CSV over HTTP by the org's admin. */
    private static HttpResponse<byte[]> export(QueryFixtures q, Fixtures.TestOrg org, Map<String, Object> query)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(q.uri("/api/v1/query"))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + org.admin().key())
                .header("Content-Type", "application/json")
                .header("Accept", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(QueryFixtures.EXACT.writeValueAsString(query)))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
