package dev.warden.server.query.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ResultCodecTest {
    private static final int LIMIT = 64 << 20;

    private static CachedResult roundTrip(CachedResult result) throws ResultCodec.Unreadable {
        return ResultCodec.decode(ResultCodec.encode(result, LIMIT));
    }

    /** Equal values of the same class, row by row: BigDecimal.equals compares the scale, OffsetDateTime the offset. */
    static void assertSame(CachedResult actual, CachedResult expected) {
        assertThat(actual.columns()).isEqualTo(expected.columns());
        assertThat(actual.truncated()).isEqualTo(expected.truncated());
        assertThat(actual.rows()).hasSameSizeAs(expected.rows());
        for (int r = 0; r < expected.rows().size(); r++) {
            Object[] want = expected.rows().get(r);
            Object[] got = actual.rows().get(r);
            assertThat(got).hasSameSizeAs(want);
            for (int v = 0; v < want.length; v++) {
                if (want[v] == null) {
                    assertThat(got[v]).isNull();
                } else {
                    assertThat(got[v]).isInstanceOf(want[v].getClass()).isEqualTo(want[v]);
                }
            }
        }
    }

    @Test
    void everyValueTypeComesBackExactly() throws Exception {
        CachedResult result = new CachedResult(List.of("amount", "neg", "big", "id", "name", "ok", "no", "day", "at", "when", "none"),
                List.of(
                        new Object[] {new BigDecimal("1234.5000"), new BigDecimal("-42"), new BigDecimal("1.2E+7"),
                                Long.MIN_VALUE, "Zoë 東京 🎉 \u0000 end", true, false, LocalDate.of(2026, 2, 28),
                                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_999),
                                OffsetDateTime.of(2026, 11, 27, 20, 43, 1, 5, ZoneOffset.ofHoursMinutes(-9, -30)), null},
                        new Object[] {BigDecimal.ZERO, new BigDecimal("-0.00"), new BigDecimal("-9" + "9".repeat(80) + ".1"),
                                Long.MAX_VALUE, "", Boolean.TRUE, Boolean.FALSE, LocalDate.MIN, LocalDateTime.MAX,
                                OffsetDateTime.MIN, null}),
                true);

        CachedResult back = roundTrip(result);

        assertSame(back, result);
        assertThat(((BigDecimal) back.rows().get(0)[0]).scale()).isEqualTo(4);
        assertThat(((BigDecimal) back.rows().get(0)[1]).scale()).isZero();
        assertThat(((BigDecimal) back.rows().get(0)[2]).scale()).isEqualTo(-6);
        assertThat(((BigDecimal) back.rows().get(1)[1]).scale()).isEqualTo(2);
        assertThat(((OffsetDateTime) back.rows().get(0)[9]).getOffset()).isEqualTo(ZoneOffset.ofHoursMinutes(-9, -30));
    }

    @Test
    void emptyResultsAndRowsOfAnyWidth() throws Exception {
        assertSame(roundTrip(new CachedResult(List.of(), List.of(), false)), new CachedResult(List.of(), List.of(), false));
        CachedResult ragged = new CachedResult(List.of("a"), List.of(new Object[0], new Object[] {null, null}), false);
        assertSame(roundTrip(ragged), ragged);
    }

    @Test
    void startsWithTheVersionByte() {
        byte[] bytes = ResultCodec.encode(new CachedResult(List.of("a"), List.of(), false), LIMIT);
        assertThat(bytes[0]).isEqualTo(ResultCodec.VERSION);
    }

    @Test
    void refusesValuesItCannotCarryExactly() {
        assertThatThrownBy(() -> ResultCodec.encode(new CachedResult(List.of("x"), List.<Object[]>of(new Object[] {42}), false), LIMIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unsupported value type java.lang.Integer");
        assertThatThrownBy(() -> ResultCodec.encode(new CachedResult(List.of("x"), List.<Object[]>of(new Object[] {1.5d}), false), LIMIT))
                .isInstanceOf(IllegalArgumentException.class);
        // A lone surrogate would come back as '?' through UTF-8: refused rather than changed.
        assertThatThrownBy(() -> ResultCodec.encode(new CachedResult(List.of("x"), List.<Object[]>of(new Object[] {"a\uD800b"}), false), LIMIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("a\uD800b");
    }

    @Test
    void refusesOutputBeyondTheLimitWithoutBuildingIt() {
        CachedResult big = new CachedResult(List.of("s"), List.<Object[]>of(new Object[] {"x".repeat(10_000)}), false);
        assertThatThrownBy(() -> ResultCodec.encode(big, 1_000)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ResultCodec.encode(big, 20_000)).hasSizeLessThan(20_000);
    }

    @Test
    void strictDecoding() {
        byte[] good = ResultCodec.encode(new CachedResult(List.of("a"), List.<Object[]>of(new Object[] {7L, "x"}), false), LIMIT);

        byte[] badVersion = good.clone();
        badVersion[0] = 0x02;
        assertThatThrownBy(() -> ResultCodec.decode(badVersion)).isInstanceOf(ResultCodec.Unreadable.class);

        byte[] badFlags = good.clone();
        badFlags[1] = 0x02;
        assertThatThrownBy(() -> ResultCodec.decode(badFlags)).isInstanceOf(ResultCodec.Unreadable.class);

        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> ResultCodec.decode(trailing)).isInstanceOf(ResultCodec.Unreadable.class);

        assertThatThrownBy(() -> ResultCodec.decode(new byte[0])).isInstanceOf(ResultCodec.Unreadable.class);

        // A count claiming more items than there are bytes left is refused before anything is allocated.
        byte[] hugeCount = {ResultCodec.VERSION, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> ResultCodec.decode(hugeCount)).isInstanceOf(ResultCodec.Unreadable.class);

        // Unknown tag, non-minimal decimal, invalid UTF-8, out-of-range time.
        byte[] oneValue = {ResultCodec.VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1};
        assertThatThrownBy(() -> ResultCodec.decode(concat(oneValue, new byte[] {0x09}))).isInstanceOf(ResultCodec.Unreadable.class);
        assertThatThrownBy(() -> ResultCodec.decode(concat(oneValue, new byte[] {0x02, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1})))
                .isInstanceOf(ResultCodec.Unreadable.class);
        assertThatThrownBy(() -> ResultCodec.decode(concat(oneValue, new byte[] {0x03, 0, 0, 0, 1, (byte) 0xc3})))
                .isInstanceOf(ResultCodec.Unreadable.class);
        assertThatThrownBy(() -> ResultCodec.decode(concat(oneValue, new byte[] {0x07, 0, 0, 0, 0, 0, 0, 0, 0,
                0x7f, 0, 0, 0, 0, 0, 0, 0}))).isInstanceOf(ResultCodec.Unreadable.class);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Property(tries = 300)
    void anyResultRoundTripsExactly(@ForAll("results") CachedResult result) throws Exception {
        assertSame(roundTrip(result), result);
    }

    @Property(tries = 200)
    void everyStrictPrefixIsRefused(@ForAll("results") CachedResult result) {
        byte[] bytes = ResultCodec.encode(result, LIMIT);
        for (int length = 0; length < bytes.length; length += Math.max(1, bytes.length / 50)) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> ResultCodec.decode(prefix)).isInstanceOf(ResultCodec.Unreadable.class);
        }
    }

    @Property(tries = 1000)
    void arbitraryBytesDecodeOrAreRefusedNeverAnythingElse(@ForAll byte[] bytes) {
        byte[] input = bytes.length > 0 ? bytes : new byte[] {ResultCodec.VERSION};
        input[0] = ResultCodec.VERSION;
        try {
            ResultCodec.decode(input);
        } catch (ResultCodec.Unreadable expected) {
            // the only failure allowed
        }
    }

    @Provide
    Arbitrary<CachedResult> results() {
        Arbitrary<String> columns = strings();
        Arbitrary<Object[]> rows = values().list().ofMaxSize(8).map(List::toArray);
        return Combinators.combine(columns.list().ofMaxSize(6), rows.list().ofMaxSize(10), Arbitraries.of(true, false))
                .as((c, r, truncated) -> new CachedResult(c, new ArrayList<>(r), truncated));
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list().ofMaxSize(12)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
    }

    private static Arbitrary<Object> values() {
        Arbitrary<LocalDate> dates = Arbitraries.longs().between(LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay())
                .map(LocalDate::ofEpochDay);
        Arbitrary<LocalTime> times = Arbitraries.longs().between(0, LocalTime.MAX.toNanoOfDay()).map(LocalTime::ofNanoOfDay);
        Arbitrary<ZoneOffset> offsets = Arbitraries.integers().between(-18 * 3600, 18 * 3600).map(ZoneOffset::ofTotalSeconds);
        Arbitrary<BigDecimal> decimals = Combinators.combine(
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)),
                Arbitraries.integers().between(-30, 40)).as(BigDecimal::new);
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.longs(),
                decimals,
                strings(),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE),
                dates,
                Combinators.combine(dates, times).as(LocalDateTime::of),
                Combinators.combine(dates, times, offsets).as(OffsetDateTime::of));
    }
}
