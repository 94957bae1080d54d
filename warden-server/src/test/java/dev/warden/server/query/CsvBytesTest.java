package dev.warden.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.semantic.compile.ColumnInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of a CSV export for values that are easy to get wrong: NULL and the empty
 * string, quotes, commas, line breaks, formula starts (= + - @ tab CR), decimals of every scale,
 * timestamps in the query's zone (including a DST gap and overlap, seconds, fractions, years
 * outside 0000..9999), dates, booleans, and text beyond ASCII. Written against the CSV writer as
 * it was before it wrote bytes directly, so that any change to those bytes fails here.
 */
class CsvBytesTest {
    private static final List<ColumnInfo> COLUMNS = List.of(
            column("t.text", "string"), column("t.n", "number"), column("t.at", "timestamp"),
            column("t.day", "date"), column("t.flag", "boolean"));

    @Test
    void headerIsQuotedWhereNeededButNeverDefused() {
        List<ColumnInfo> columns = List.of(column("plain", "string"), column("a,b", "string"),
                column("say \"hi\"", "string"), column("=formula", "string"), column("t.at[month]", "timestamp"));
        assertThat(csv(columns, ZoneOffset.UTC)).isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",=formula,t.at[month]\r\n");
    }

    @Test
    void nullsAndTheEmptyStringAreEmptyFields() {
        assertThat(csv(COLUMNS, ZoneOffset.UTC, row(null, null, null, null, null), row("", null, null, null, null)))
                .isEqualTo(header() + ",,,,\r\n,,,,\r\n");
    }

    @Test
    void textIsQuotedAndDefused() {
        String[] texts = {
            "plain", "with,comma", "with \"quotes\"", "line\nbreak", "crlf\r\ninside", "cr\rinside",
            "=SUM(A1)", "+1", "-2", "@cmd", "\tlead tab", "\rlead cr", "'already", "=\"a,b\"", "a=b", " lead space",
            "naïve café ✓ 東京 😀", "\uD800 lone high", "lone low \uDC00", "end high \uD83D", "tab\tinside", "\"",
        };
        Object[][] rows = Arrays.stream(texts).map(t -> row(t, null, null, null, null)).toArray(Object[][]::new);
        assertThat(csv(COLUMNS, ZoneOffset.UTC, rows)).isEqualTo(header() + String.join("", List.of(
                "plain,,,,\r\n",
                "\"with,comma\",,,,\r\n",
                "\"with \"\"quotes\"\"\",,,,\r\n",
                "\"line\nbreak\",,,,\r\n",
                "\"crlf\r\ninside\",,,,\r\n",
                "\"cr\rinside\",,,,\r\n",
                "'=SUM(A1),,,,\r\n",
                "'+1,,,,\r\n",
                "'-2,,,,\r\n",
                "'@cmd,,,,\r\n",
                "'\tlead tab,,,,\r\n",
                "\"'\rlead cr\",,,,\r\n",
                "'already,,,,\r\n",
                "\"'=\"\"a,b\"\"\",,,,\r\n",
                "a=b,,,,\r\n",
                " lead space,,,,\r\n",
                "naïve café ✓ 東京 😀,,,,\r\n",
                "? lone high,,,,\r\n",
                "lone low ?,,,,\r\n",
                "end high ?,,,,\r\n",
                "tab\tinside,,,,\r\n",
                "\"\"\"\",,,,\r\n")));
    }

    @Test
    void numbersAreExactAndNeverDefused() {
        Object[] numbers = {
            0L, -5L, Long.MIN_VALUE, Long.MAX_VALUE, new BigDecimal("123.4500"), new BigDecimal("-0.01"),
            new BigDecimal("1E+3"), new BigDecimal("0E-10"), new BigDecimal("-12345678901234567890123456789.123456789"),
            new BigDecimal("1.0E20"), new BigDecimal("4.9E-324"), "NaN", "Infinity", "-Infinity",
        };
        Object[][] rows = Arrays.stream(numbers).map(n -> row(null, n, null, null, null)).toArray(Object[][]::new);
        assertThat(csv(COLUMNS, ZoneOffset.UTC, rows)).isEqualTo(header() + String.join("", List.of(
                ",0,,,\r\n",
                ",-5,,,\r\n",
                ",-9223372036854775808,,,\r\n",
                ",9223372036854775807,,,\r\n",
                ",123.4500,,,\r\n",
                ",-0.01,,,\r\n",
                ",1000,,,\r\n",
                ",0.0000000000,,,\r\n",
                ",-12345678901234567890123456789.123456789,,,\r\n",
                ",100000000000000000000,,,\r\n",
                ",0." + "0".repeat(323) + "49,,,\r\n",
                // a double the warehouse could not print as a decimal arrives as text, and is text here
                ",NaN,,,\r\n",
                ",Infinity,,,\r\n",
                ",'-Infinity,,,\r\n")));
    }

    @Test
    void timestampsCarryTheOffsetOfTheQueryZone() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        Object[][] rows = {
            row(null, null, LocalDateTime.of(2024, 7, 1, 12, 0), LocalDate.of(2024, 2, 29), true),
            row(null, null, LocalDateTime.of(2024, 1, 15, 8, 30, 5), LocalDate.of(1, 1, 1), false),
            row(null, null, LocalDateTime.of(2024, 1, 15, 8, 30, 0, 120_000_000), LocalDate.of(9999, 12, 31), null),
            row(null, null, LocalDateTime.of(2024, 1, 15, 8, 30, 0, 123_456_000), LocalDate.of(10000, 1, 1), null),
            row(null, null, LocalDateTime.of(2024, 1, 15, 8, 30, 0, 123_456_789), LocalDate.of(-1, 6, 30), null),
            row(null, null, LocalDateTime.of(2024, 1, 15, 0, 0, 0, 1), LocalDate.of(-12345, 6, 30), null),
            // the spring-forward gap: this wall-clock time does not exist in Paris and moves by an hour
            row(null, null, LocalDateTime.of(2024, 3, 31, 2, 30), null, null),
            // the autumn overlap: the earlier offset
            row(null, null, LocalDateTime.of(2024, 10, 27, 2, 30), null, null),
            row(null, null, LocalDateTime.of(10000, 1, 1, 0, 0), null, null),
            row(null, null, LocalDateTime.of(999, 12, 31, 23, 59, 59), null, null),
            row(null, null, LocalDateTime.of(-1, 1, 1, 0, 0), null, null),
            row(null, null, OffsetDateTime.of(2024, 7, 1, 23, 15, 0, 0, ZoneOffset.UTC), null, null),
        };
        // Dates and timestamps become text before they are written, so a leading sign (years
        // outside 0000..9999) is defused like any text: pinned as it is.
        assertThat(csv(COLUMNS, paris, rows)).isEqualTo(header() + String.join("", List.of(
                ",,2024-07-01T12:00+02:00,2024-02-29,true\r\n",
                ",,2024-01-15T08:30:05+01:00,0001-01-01,false\r\n",
                ",,2024-01-15T08:30:00.120+01:00,9999-12-31,\r\n",
                ",,2024-01-15T08:30:00.123456+01:00,'+10000-01-01,\r\n",
                ",,2024-01-15T08:30:00.123456789+01:00,'-0001-06-30,\r\n",
                ",,2024-01-15T00:00:00.000000001+01:00,'-12345-06-30,\r\n",
                ",,2024-03-31T03:30+02:00,,\r\n",
                ",,2024-10-27T02:30+02:00,,\r\n",
                ",,'+10000-01-01T00:00+01:00,,\r\n",
                ",,0999-12-31T23:59:59+00:09:21,,\r\n",
                ",,'-0001-01-01T00:00+00:09:21,,\r\n",
                ",,2024-07-02T01:15+02:00,,\r\n")));
    }

    @Test
    void otherZonesAndOffsets() {
        LocalDateTime t = LocalDateTime.of(2025, 12, 10, 9, 12);
        assertThat(csv(COLUMNS, ZoneId.of("UTC"), row(null, null, t, null, null))).endsWith("\r\n,,2025-12-10T09:12Z,,\r\n");
        assertThat(csv(COLUMNS, ZoneOffset.UTC, row(null, null, t, null, null))).endsWith("\r\n,,2025-12-10T09:12Z,,\r\n");
        assertThat(csv(COLUMNS, ZoneId.of("Asia/Kathmandu"), row(null, null, t, null, null)))
                .endsWith("\r\n,,2025-12-10T09:12+05:45,,\r\n");
        assertThat(csv(COLUMNS, ZoneId.of("America/St_Johns"), row(null, null, t, null, null)))
                .endsWith("\r\n,,2025-12-10T09:12-03:30,,\r\n");
        assertThat(csv(COLUMNS, ZoneOffset.ofHoursMinutesSeconds(-1, -2, -3), row(null, null, t, null, null)))
                .endsWith("\r\n,,2025-12-10T09:12-01:02:03,,\r\n");
    }

    @Test
    void aLongRowCrossesTheBufferIntact() {
        String big = "é,\"".repeat(100_000); // 400,000 bytes of UTF-8 before quoting
        String expected = header() + "\"" + big.replace("\"", "\"\"") + "\",7,,,\r\n";
        assertThat(csv(COLUMNS, ZoneOffset.UTC, row(big, 7L, null, null, null))).isEqualTo(expected);
    }

    // ---- helpers: the writer under test, driven as the CSV export drives it ----

    static ColumnInfo column(String name, String type) {
        return new ColumnInfo(name, name, type, "dimension", Optional.empty());
    }

    /**
     * Text that arrives as UTF-8 bytes (DuckDB exports, see WarehouseQueries.runWithTextAsUtf8) is
     * written exactly as the String it encodes: quoting, doubled quotes, defusing, multi-byte
     * characters, and fields longer than the writer's 64 KiB buffer, quoted or not.
     */
    @Test
    void textAsUtf8BytesIsWrittenExactlyAsTheSameText() {
        List<String> texts = new java.util.ArrayList<>(List.of(
                "", "plain", "with,comma", "with \"quotes\"", "line\nbreak", "crlf\r\ninside", "cr\rinside",
                "=SUM(A1)", "+1", "-2", "@cmd", "\tlead tab", "\rlead cr", "'already", "=\"a,b\"", "a=b",
                "naïve café ✓ 東京 😀", "é first", "😀 first", "\"", ",", "tab\tinside"));
        texts.add("x".repeat(70_000));
        texts.add("\"q\",".repeat(30_000));
        texts.add("=" + "é".repeat(40_000));
        java.util.Random random = new java.util.Random(42);
        String alphabet = "ab,\"\r\n=+-@\t 'é✓東😀";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder t = new StringBuilder();
            int length = random.nextInt(12);
            while (t.length() < length) {
                t.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            texts.add(t.toString());
        }
        Object[][] asStrings = texts.stream().map(t -> row(t, 1L, null, null, null)).toArray(Object[][]::new);
        Object[][] asBytes = texts.stream().map(t -> row(t.getBytes(StandardCharsets.UTF_8), 1L, null, null, null))
                .toArray(Object[][]::new);
        assertThat(csvBytes(COLUMNS, ZoneOffset.UTC, asBytes)).isEqualTo(csvBytes(COLUMNS, ZoneOffset.UTC, asStrings));
    }

    /**
     * A UTC timestamp column (a raw timestamp: ColumnInfo.utc) is shown as the instant it is in
     * the query's zone: the two 02:30s of the night Paris repeats an hour keep their own offsets,
     * a spring-forward instant lands after the gap, and every value equals OffsetDateTime's text,
     * in the JSON writer too, over a year of half-hours in four zones.
     */
    @Test
    void utcTimestampsAreShownAsTheirOwnInstant() {
        List<ColumnInfo> columns = List.of(new ColumnInfo("t.at", "At", "timestamp", "dimension", Optional.empty(), true));
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertThat(csv(columns, paris, row(LocalDateTime.of(2024, 10, 27, 0, 30)), row(LocalDateTime.of(2024, 10, 27, 1, 30)),
                row(LocalDateTime.of(2024, 3, 31, 1, 0)), row(LocalDateTime.of(2024, 3, 31, 0, 59, 59, 500_000_000))))
                .isEqualTo("t.at\r\n2024-10-27T02:30+02:00\r\n2024-10-27T02:30+01:00\r\n2024-03-31T03:00+02:00\r\n"
                        + "2024-03-31T01:59:59.500+01:00\r\n");
        String json = new String(ResultWriter.json(new QueryService.Result(columns, List.of(
                row(LocalDateTime.of(2024, 10, 27, 0, 30)), row(LocalDateTime.of(2024, 10, 27, 1, 30))), false, false, 0, "q"),
                paris, null), StandardCharsets.UTF_8);
        assertThat(json).contains("\"rows\":[[\"2024-10-27T02:30+02:00\"],[\"2024-10-27T02:30+01:00\"]]");
        for (String zone : List.of("Europe/Paris", "America/New_York", "Australia/Lord_Howe", "UTC")) {
            ZoneId z = ZoneId.of(zone);
            StringBuilder expected = new StringBuilder("t.at\r\n");
            List<Object[]> rows = new java.util.ArrayList<>();
            for (LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0); t.getYear() == 2024; t = t.plusMinutes(30)) {
                rows.add(row(t));
                expected.append(t.atOffset(ZoneOffset.UTC).atZoneSameInstant(z).toOffsetDateTime()).append("\r\n");
            }
            assertThat(csv(columns, z, rows.toArray(Object[][]::new))).isEqualTo(expected.toString());
            assertThat(ResultWriter.inZone(LocalDateTime.of(2024, 10, 27, 1, 30), z))
                    .isEqualTo(LocalDateTime.of(2024, 10, 27, 1, 30).atOffset(ZoneOffset.UTC).atZoneSameInstant(z).toOffsetDateTime());
        }
    }

    static Object[] row(Object... values) {
        return values;
    }

    private static String header() {
        return "t.text,t.n,t.at,t.day,t.flag\r\n";
    }

    /** The export's bytes, decoded; also checks that they are exactly the UTF-8 of that text. */
    static String csv(List<ColumnInfo> columns, ZoneId zone, Object[]... rows) {
        byte[] bytes = csvBytes(columns, zone, rows);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text.getBytes(StandardCharsets.UTF_8)).isEqualTo(bytes);
        return text;
    }

    static byte[] csvBytes(List<ColumnInfo> columns, ZoneId zone, Object[]... rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            var csv = new ResultWriter.Csv(out, zone);
            csv.header(columns);
            for (Object[] row : rows) {
                csv.row(row);
            }
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
