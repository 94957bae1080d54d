package dev.warden.semantic.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.warden.semantic.Fixtures;
import dev.warden.semantic.query.QueryParser;
import dev.warden.semantic.sql.Dialect;

/** API.md's filter semantics, read off the SQL and binds. */
class FilterSemanticsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-07-16T09:30:00Z"), ZoneOffset.UTC); // a Wednesday

    private static Compilation.Compiled compile(String field, String op, String values, String zone) {
        String q = "{\"topic\":\"orders\",\"fields\":[\"orders.count\"],\"timezone\":\"" + zone + "\",\"filters\":[{\"field\":\""
                + field + "\",\"op\":\"" + op + "\",\"values\":" + values + "}]}";
        return (Compilation.Compiled) QueryCompiler.compile(Fixtures.shopModel(), QueryParser.parse(q),
                Fixtures.querier(Map.of("region", List.of("all"))), Dialect.DUCKDB, 1000, CLOCK);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // op | values | zone | predicate | binds
            "eq|[\"2025-03-01\"]|UTC|(\"orders\".\"created_at\" >= ? AND \"orders\".\"created_at\" < ?)|[2025-03-01T00:00, 2025-03-02T00:00]",
            "gt|[\"2025-03-01\"]|UTC|\"orders\".\"created_at\" >= ?|[2025-03-02T00:00]",
            "lte|[\"2025-03-01\"]|UTC|\"orders\".\"created_at\" < ?|[2025-03-02T00:00]",
            "lt|[\"2025-03-01\"]|UTC|\"orders\".\"created_at\" < ?|[2025-03-01T00:00]",
            "gte|[\"2025-03-01T10:15:00\"]|Europe/Paris|\"orders\".\"created_at\" >= ?|[2025-03-01T09:15]",
            "lte|[\"2025-03-01T10:15:00Z\"]|Europe/Paris|\"orders\".\"created_at\" <= ?|[2025-03-01T10:15]",
            "eq|[\"2025-03-01T10:15:00+02:00\"]|UTC|\"orders\".\"created_at\" = ?|[2025-03-01T08:15]",
            "between|[\"2025-01-01\", \"2025-06-30\"]|Europe/Paris|(\"orders\".\"created_at\" >= ? AND \"orders\".\"created_at\" < ?)|[2024-12-31T23:00, 2025-06-30T22:00]",
            "neq|[\"2025-03-01\"]|UTC|NOT ((\"orders\".\"created_at\" >= ? AND \"orders\".\"created_at\" < ?))|[2025-03-01T00:00, 2025-03-02T00:00]",
            "in_last|[7, \"day\"]|UTC|(\"orders\".\"created_at\" >= ? AND \"orders\".\"created_at\" < ?)|[2025-07-10T00:00, 2025-07-17T00:00]",
            "in_last|[2, \"weeks\"]|Asia/Tokyo|(\"orders\".\"created_at\" >= ? AND \"orders\".\"created_at\" < ?)|[2025-07-06T15:00, 2025-07-20T15:00]",
            "in_last|[1, \"quarter\"]|UTC|(\"orders\".\"created_at\" >= ? AND \"orders\".\"created_at\" < ?)|[2025-07-01T00:00, 2025-10-01T00:00]"})
    void timestampFilters(String op, String values, String zone, String predicate, String binds) {
        Compilation.Compiled c = compile("orders.created_at", op, values, zone);
        assertThat(c.sql()).contains("AND (" + predicate + ")");
        assertThat(c.binds().toString()).isEqualTo(binds);
        assertThat(c.binds()).allSatisfy(b -> assertThat(b).isInstanceOf(LocalDateTime.class));
    }

    @Test
    void dateFieldsBindLocalDatesAndBetweenIsInclusive() {
        String q = "{\"topic\":\"users\",\"fields\":[\"users.count\"],\"filters\":[{\"field\":\"users.signup_on\",\"op\":\"between\","
                + "\"values\":[\"2024-01-01\",\"2024-12-31\"]}]}";
        Compilation.Compiled c = (Compilation.Compiled) QueryCompiler.compile(Fixtures.shopModel(), QueryParser.parse(q),
                Fixtures.querier(Map.of("region", List.of("all"))), Dialect.DUCKDB, 1000);
        assertThat(c.sql()).contains("(\"users\".\"signup_on\" >= ? AND \"users\".\"signup_on\" <= ?)");
        assertThat(c.binds()).containsExactly(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31));
    }

    @Test
    void aFilterOnATimeframeComparesThePeriodInTheQueryZone() {
        Compilation.Compiled c = compile("orders.created_at[month]", "eq", "[\"2025-03-01\"]", "Europe/Paris");
        assertThat(c.sql()).contains("CAST(DATE_TRUNC('month', timezone(CAST(? AS VARCHAR), timezone('UTC', \"orders\".\"created_at\"))) AS DATE) = ?");
        assertThat(c.binds()).containsExactly("Europe/Paris", LocalDate.of(2025, 3, 1));
    }

    @Test
    void numbersAndBooleansBindAsThemselves() {
        assertThat(compile("orders.amount", "between", "[10, 20.5]", "UTC").binds())
                .containsExactly(new BigDecimal("10"), new BigDecimal("20.5"));
        assertThat(compile("orders.is_gift", "neq", "[false]", "UTC").binds()).containsExactly(false);
    }

    @Test
    void aMeasureFilterBecomesHaving() {
        Compilation.Compiled c = compile("orders.total_amount", "gte", "[100]", "UTC");
        assertThat(c.sql()).contains("HAVING (SUM((\"orders\".amount_cents / 100.0)) >= ?)");
    }

    /**
     * A raw timestamp is selected as stored (UTC) and its column says so; a timeframe such as
     * hour is truncated in the query's zone and is wall-clock time there. Moving a raw timestamp
     * into the zone in SQL would make the two 02:30s of the night DST ends one value.
     */
    @Test
    void rawTimestampsAreSelectedAsStoredAndMarkedUtcTimeframesInTheZone() {
        String q = "{\"topic\":\"orders\",\"fields\":[\"orders.created_at\",\"orders.created_at[hour]\",\"orders.count\"],"
                + "\"timezone\":\"Europe/Paris\",\"sorts\":[{\"field\":\"orders.created_at\",\"direction\":\"asc\"}]}";
        Compilation.Compiled c = (Compilation.Compiled) QueryCompiler.compile(Fixtures.shopModel(), QueryParser.parse(q),
                Fixtures.querier(Map.of("region", List.of("all"))), Dialect.DUCKDB, 1000, CLOCK);
        assertThat(c.sql()).startsWith("SELECT \"orders\".\"created_at\" AS ");
        assertThat(c.sql()).contains("DATE_TRUNC('hour', timezone(CAST(? AS VARCHAR), timezone('UTC', \"orders\".\"created_at\")))");
        assertThat(c.binds()).containsExactly("Europe/Paris");
        assertThat(c.timeZones()).as("the zones a warehouse must know").containsExactly("Europe/Paris");
        assertThat(compile("orders.created_at", "eq", "[\"2025-03-01\"]", "Europe/Paris").timeZones())
                .as("a filter on a raw timestamp converts its values in Java").isEmpty();
        assertThat(c.columns()).extracting(ColumnInfo::utc).containsExactly(true, false, false);
        assertThat(c.columns()).extracting(ColumnInfo::type).containsExactly("timestamp", "timestamp", "number");
    }
}
