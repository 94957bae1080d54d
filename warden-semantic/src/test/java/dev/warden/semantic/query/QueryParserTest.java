package dev.warden.semantic.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.warden.semantic.model.Timeframe;

class QueryParserTest {

    private static List<String> rejected(String json) {
        try {
            QueryParser.parse(json);
        } catch (QueryRejected e) {
            return e.problems();
        }
        throw new AssertionError("expected a rejection of " + json);
    }

    @Test
    void parsesApiMdExample() {
        Query q = QueryParser.parse("""
                {
                  "topic": "orders",
                  "fields": ["orders.status", "orders.created_at[month]", "orders.count", "orders.total_amount"],
                  "filters": [
                    {"field": "orders.created_at", "op": "between", "values": ["2025-01-01", "2025-06-30"]},
                    {"field": "orders.status", "op": "in", "values": ["complete", "shipped"]},
                    {"field": "orders.total_amount", "op": "gt", "values": [1000]}
                  ],
                  "sorts": [{"field": "orders.total_amount", "direction": "desc"}],
                  "limit": 500,
                  "timezone": "UTC",
                  "cache": false,
                  "as_user": "ana@example.com"
                }""");
        assertThat(q.topic()).isEqualTo("orders");
        assertThat(q.fields()).hasSize(4);
        assertThat(q.fields().get(1)).isEqualTo(new FieldRef("orders", "created_at", Optional.of(Timeframe.MONTH)));
        assertThat(q.fields().get(1)).hasToString("orders.created_at[month]");
        assertThat(q.filters().get(2).values()).containsExactly(new FilterValue.Number(new BigDecimal("1000")));
        assertThat(q.sorts()).containsExactly(new Sort(new FieldRef("orders", "total_amount", Optional.empty()), SortDirection.DESC));
        assertThat(q.limit()).contains(500);
        assertThat(q.timezone()).contains(ZoneId.of("UTC"));
        assertThat(q.cache()).contains(false);
        assertThat(q.asUser()).contains("ana@example.com");
    }

    @Test
    void numbersStayExactDecimals() {
        Query q = QueryParser.parse("""
                {"topic":"t","fields":["v.f"],"filters":[{"field":"v.f","op":"eq","values":[0.1000000000000000055511151231257827]}]}""");
        assertThat(((FilterValue.Number) q.filters().get(0).values().get(0)).value())
                .isEqualByComparingTo("0.1000000000000000055511151231257827");
    }

    @Test
    void defaultsAreLeftToTheCompilerAndServer() {
        Query q = QueryParser.parse("{\"topic\":\"t\",\"fields\":[\"v.f\"]}");
        assertThat(q.limit()).isEmpty();
        assertThat(q.timezone()).isEmpty();
        assertThat(q.withDefaultTimezone(ZoneId.of("Europe/Paris")).timezone()).contains(ZoneId.of("Europe/Paris"));
        assertThat(q.sorts()).isEmpty();
    }

    @Test
    void unknownOp() {
        assertThat(rejected("""
                {"topic":"t","fields":["v.f"],"filters":[{"field":"v.f","op":"like","values":["a"]}]}"""))
                .singleElement().satisfies(p -> assertThat(p).contains("op \"like\" is not an operator").contains("contains"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "eq|[]|takes 1 value, got 0",
            "eq|[1, 2]|takes 1 value, got 2",
            "between|[1]|takes 2 values, got 1",
            "is_null|[1]|takes 0 values, got 1",
            "in|[]|takes 1 to 1000 values, got 0",
            "contains|[1]|takes a string value",
            "gt|[true]|does not compare booleans",
            "in_last|[7, \"fortnight\"]|unit one of",
            "in_last|[0, \"day\"]|count a positive integer",
            "in_last|[1.5, \"day\"]|count a positive integer",
            "in_last|[\"7\", \"day\"]|count a positive integer",
            "eq|[null]|use op 'is_null'",
            "eq|[[1]]|must be a string, number or boolean",
            "eq|[{\"a\":1}]|must be a string, number or boolean"})
    void wrongValueTypesOrCounts(String op, String values, String expected) {
        assertThat(rejected("{\"topic\":\"t\",\"fields\":[\"v.f\"],\"filters\":[{\"field\":\"v.f\",\"op\":\"" + op
                + "\",\"values\":" + values + "}]}")).singleElement().satisfies(p -> assertThat(p).contains(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0", "-1", "1.5", "\"10\"", "true", "3000000000", "1e3"})
    void limitMustBeAPositiveInteger(String limit) {
        assertThat(rejected("{\"topic\":\"t\",\"fields\":[\"v.f\"],\"limit\":" + limit + "}")).singleElement()
                .satisfies(p -> assertThat(p).contains("'limit' must be a positive integer"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Mars/Olympus", "utc+2", "+02:00", "UTC; DROP TABLE x; --", "Europe/Paris;x"})
    void unknownTimezone(String tz) {
        assertThat(rejected("{\"topic\":\"t\",\"fields\":[\"v.f\"],\"timezone\":\"" + tz.replace("\u0000", "\\u0000") + "\"}"))
                .singleElement().satisfies(p -> assertThat(p).contains("is not a known IANA time zone"));
    }

    @Test
    void duplicateFields() {
        assertThat(rejected("{\"topic\":\"t\",\"fields\":[\"v.f\",\"v.g\",\"v.f\"]}")).singleElement()
                .satisfies(p -> assertThat(p).contains("lists \"v.f\" more than once"));
        // The same field with two timeframes is two columns.
        assertThat(QueryParser.parse("{\"topic\":\"t\",\"fields\":[\"v.f[month]\",\"v.f[year]\"]}").fields()).hasSize(2);
    }

    @Test
    void unknownKeysEverywhere() {
        assertThat(rejected("""
                {"topic":"t","fields":["v.f"],"filter":[],"filters":[{"field":"v.f","op":"eq","values":[1],"value":2}],
                 "sorts":[{"field":"v.f","dir":"asc"}]}"""))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("unknown key \"filter\" in query"))
                .anySatisfy(p -> assertThat(p).contains("unknown key \"value\" in filters[0]"))
                .anySatisfy(p -> assertThat(p).contains("unknown key \"dir\" in sorts[0]"));
    }

    @Test
    void malformedJson() {
        assertThat(rejected("{\"topic\":")).singleElement().satisfies(p -> assertThat(p).startsWith("malformed JSON"));
        assertThat(rejected("{\"topic\":\"t\",\"fields\":[\"v.f\"]} trailing")).singleElement()
                .satisfies(p -> assertThat(p).startsWith("malformed JSON"));
        assertThat(rejected("{\"topic\":\"t\",\"topic\":\"u\",\"fields\":[\"v.f\"]}")).singleElement()
                .satisfies(p -> assertThat(p).startsWith("malformed JSON").contains("Duplicate"));
        assertThat(rejected("[1,2]")).singleElement().satisfies(p -> assertThat(p).contains("must be a JSON object"));
        assertThat(rejected("")).singleElement().satisfies(p -> assertThat(p).contains("JSON"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"orders", "orders.", ".status", "orders.status.x", "orders.status[month", "orders.sta tus",
            "orders.status[fortnight]", "\"; DROP TABLE orders; --", "orders.status--", "orders.ｓtatus"})
    void fieldReferencesAreIdentifiersOnly(String field) {
        List<String> problems = rejected("{\"topic\":\"t\",\"fields\":[\"" + field.replace("\"", "\\\"") + "\"]}");
        assertThat(problems).singleElement().satisfies(p -> assertThat(p).containsAnyOf("is not a field reference", "unknown timeframe"));
    }

    @Test
    void sortDirectionIsAscOrDesc() {
        assertThat(rejected("{\"topic\":\"t\",\"fields\":[\"v.f\"],\"sorts\":[{\"field\":\"v.f\",\"direction\":\"desc; DROP\"}]}"))
                .singleElement().satisfies(p -> assertThat(p).contains("must be \"asc\" or \"desc\""));
    }

    @Test
    void controlCharactersInValuesAreRejected() {
        assertThat(rejected("{\"topic\":\"t\",\"fields\":[\"v.f\"],\"filters\":[{\"field\":\"v.f\",\"op\":\"eq\",\"values\":[\"a\\u0000b\"]}]}"))
                .singleElement().satisfies(p -> assertThat(p).contains("control character"));
        assertThat(rejected("{\"topic\":\"t\",\"fields\":[\"v.f\"],\"filters\":[{\"field\":\"v.f\",\"op\":\"eq\",\"values\":[\"\\ud800\"]}]}"))
                .singleElement().satisfies(p -> assertThat(p).contains("unpaired surrogate"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(rejected("""
                {"fields":[],"limit":0,"timezone":"x","cache":"yes","as_user":""}""")).hasSize(6);
    }

    @Test
    void errorMessagesQuoteInputSafely() {
        String hostile = "x".repeat(100) + "\u0001";
        assertThatThrownBy(() -> QueryParser.parse("{\"topic\":\"t\",\"fields\":[\"" + hostile.replace("\u0001", "\\u0001") + "\"]}"))
                .isInstanceOf(QueryRejected.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0001").hasSizeLessThan(200));
    }
}
