package dev.warden.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.semantic.compile.ColumnInfo;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CSV writer against a reference: the writer as it was before it wrote bytes directly
 * (Writer, String per cell, UTF-8 through {@link OutputStreamWriter}), kept here verbatim in
 * behaviour. Random rows of every value type, in zones with and without DST (gaps, overlaps,
 * historic offsets with seconds), must give byte-identical output.
 */
class CsvDifferentialTest {
    private static final String ALPHABET = "abcXYZ019 ,\"\r\n\t=+-@'.:;é東😀\uD800\uDC00\u0000\u007f\u0080\u07ff\u0800\uffff";
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneOffset.UTC, ZoneId.of("Europe/Paris"),
            ZoneId.of("America/New_York"), ZoneId.of("Asia/Kathmandu"), ZoneId.of("Australia/Lord_Howe"),
            ZoneOffset.ofHoursMinutesSeconds(5, 30, 15), ZoneId.of("Pacific/Apia"));

    @Test
    void randomRowsGiveTheSameBytesAsTheReferenceWriter() throws IOException {
        Random random = new Random(20261127);
        List<ColumnInfo> columns = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            columns.add(CsvBytesTest.column("c" + i + (i == 3 ? ",\"x\"" : ""), "string"));
        }
        for (ZoneId zone : ZONES) {
            List<Object[]> rows = new ArrayList<>();
            for (int r = 0; r < 20_000; r++) {
                Object[] row = new Object[columns.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = value(random);
                }
                rows.add(row);
            }
            byte[] expected = reference(columns, rows, zone);
            byte[] actual = CsvBytesTest.csvBytes(columns, zone, rows.toArray(Object[][]::new));
            assertThat(new String(actual, StandardCharsets.UTF_8)).as(zone.getId())
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(actual).as(zone.getId()).isEqualTo(expected);
        }
    }

    private static Object value(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> null;
            case 1 -> text(random);
            case 2 -> random.nextBoolean() ? random.nextLong() : (long) random.nextInt(2_000) - 1_000;
            case 3 -> new BigDecimal(BigInteger.valueOf(random.nextLong() >> random.nextInt(64)), random.nextInt(40) - 10);
            case 4 -> new BigDecimal(new BigInteger(random.nextInt(200) + 1, random), random.nextInt(30));
            case 5 -> random.nextBoolean();
            case 6 -> LocalDate.ofEpochDay(random.nextLong(-800_000, 3_000_000));
            case 7, 8 -> LocalDateTime.of(LocalDate.ofEpochDay(random.nextLong(-30_000, 40_000)), time(random));
            case 9 -> LocalDateTime.of(LocalDate.ofEpochDay(random.nextLong(-1_000_000, 4_000_000)), time(random));
            case 10 -> OffsetDateTime.of(LocalDateTime.of(LocalDate.ofEpochDay(random.nextLong(-30_000, 40_000)),
                    time(random)), ZoneOffset.ofTotalSeconds(random.nextInt(-50_000, 50_000)));
            default -> switch (random.nextInt(4)) {
                case 0 -> "NaN";
                case 1 -> "-Infinity";
                case 2 -> "Infinity";
                default -> new BigDecimal(Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30))));
            };
        };
    }

    private static java.time.LocalTime time(Random random) {
        int nanos = switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            case 3 -> random.nextInt(1_000_000_000);
            default -> 0;
        };
        int seconds = random.nextInt(3) == 0 ? 0 : random.nextInt(60);
        return java.time.LocalTime.of(random.nextInt(24), random.nextInt(60), seconds, nanos);
    }

    private static String text(Random random) {
        int length = random.nextInt(4) == 0 ? random.nextInt(2_000) : random.nextInt(12);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    // ---- the reference: CSV as ResultWriter wrote it through a Writer ----

    private static byte[] reference(List<ColumnInfo> columns, List<Object[]> rows, ZoneId zone) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Writer out = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 1 << 16);
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            field(out, columns.get(i).name());
        }
        out.write("\r\n");
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                Object v = switch (row[i]) {
                    case null -> null;
                    case LocalDate d -> d.toString();
                    case LocalDateTime t -> t.atZone(zone).toOffsetDateTime().toString();
                    case OffsetDateTime t -> t.atZoneSameInstant(zone).toOffsetDateTime().toString();
                    default -> row[i];
                };
                if (v == null) {
                    continue;
                }
                field(out, v instanceof BigDecimal d ? d.toPlainString()
                        : v instanceof String text ? defused(text) : v.toString());
            }
            out.write("\r\n");
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static String defused(String text) {
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    private static void field(Writer out, String text) throws IOException {
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
