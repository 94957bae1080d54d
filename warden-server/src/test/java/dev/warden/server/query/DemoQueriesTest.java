package dev.warden.server.query;

import static dev.warden.server.support.QueryFixtures.query;
import static dev.warden.server.support.QueryFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.connections.Connections;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import dev.warden.server.support.QueryFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The demo of {@code demo/README.md}, end to end over HTTP: the generated DuckDB warehouse, the
 * demo model, and the people of acme and globex with their roles and attributes. Each person gets
 * exactly the rows, topics and refusals the README promises for its fixed query.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoQueriesTest extends ApiTest {
    /** The README's fixed query. */
    private static final Map<String, Object> BY_REGION = query("orders",
            List.of("orders.region", "orders.count", "orders.total_amount"),
            "sorts", List.of(Map.of("field", "orders.region", "direction", "asc")));

    private static final List<String> EAST = List.of("east", "242102", "44289854.89");
    private static final List<String> NORTH = List.of("north", "291190", "53134328.04");
    private static final List<String> SOUTH = List.of("south", "241379", "43990864.42");
    private static final List<String> WEST = List.of("west", "195324", "35725469.39");

    @Autowired
    AttributeRepository attributes;
    @Autowired
    Connections connections;

    private QueryFixtures q;
    private QueryFixtures.DemoOrg acme;
    private QueryFixtures.DemoOrg globex;

    @BeforeAll
    void buildTheDemo() {
        q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        acme = q.demoOrg("acme");
        globex = q.demoOrg("globex");
    }

    private Fixtures.Person p(String name) {
        return acme.people().containsKey(name) ? acme.person(name) : globex.person(name);
    }

    @Test
    void eachPersonSeesExactlyTheReadmesRows() {
        assertThat(rows(q.query(p("ava"), BY_REGION))).containsExactly(EAST, NORTH, SOUTH, WEST);
        assertThat(rows(q.query(p("gwen"), BY_REGION))).containsExactly(EAST, NORTH, SOUTH, WEST);
        assertThat(rows(q.query(p("ben"), BY_REGION))).containsExactly(NORTH);
        assertThat(rows(q.query(p("cara"), BY_REGION))).containsExactly(SOUTH);
        assertThat(rows(q.query(p("gus"), BY_REGION))).containsExactly(EAST, WEST);
    }

    @Test
    void numbersAreTheExactDecimalsTheWarehouseReturned() {
        Api.Response response = q.query(p("ben"), BY_REGION);
        assertThat(response.status()).isEqualTo(200);
        // As JSON numbers, written plainly: no quotes, no exponent, no binary rounding.
        assertThat(response.body()).contains("[\"north\",291190,53134328.04]");
    }

    @Test
    void aViewerIsRefusedAnyQuery() {
        Api.Response response = q.query(p("dan"), BY_REGION);
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").stringValue()).contains("VIEWER").contains("cannot run");
    }

    @Test
    void aPersonWithoutTheFilteringAttributeIsRefusedAndToldWhich() {
        Api.Response response = q.query(p("gia"), BY_REGION);
        assertThat(response.status()).as(response.body()).isBetween(400, 499);
        assertThat(response.json().get("detail").stringValue()).contains("region");
        // ... while the catalog, which opts out of the region filter, answers her.
        Api.Response catalog = q.query(p("gia"), query("catalog", List.of("products.count")));
        assertThat(rows(catalog)).containsExactly(List.of("1000"));
    }

    @Test
    void topicsListExactlyWhatEachPersonMayQuery() {
        Map<String, List<String>> expected = Map.of(
                "ava", List.of("orders", "customers", "finance", "catalog"),
                "ben", List.of("orders", "customers", "catalog"),
                "cara", List.of("orders", "finance", "catalog"),
                "dan", List.of(),
                "gwen", List.of("orders", "customers", "catalog"),
                "gus", List.of("orders", "customers", "finance", "catalog"),
                "gia", List.of("orders", "catalog"));
        expected.forEach((name, topics) -> {
            Api.Response response = q.api().get(p(name).key(), "/api/v1/topics");
            assertThat(response.status()).as(name + ": " + response.body()).isEqualTo(200);
            List<String> names = response.json().valueStream().map(t -> t.get("name").stringValue()).toList();
            assertThat(names).as(name).containsExactlyInAnyOrderElementsOf(topics);
        });
    }

    @Test
    void aFieldDeniedByAGrantLooksExactlyLikeOneNeverDefined() {
        Map<String, Object> denied = query("customers", List.of("users.region", "users.email"));
        Map<String, Object> unknown = query("customers", List.of("users.region", "users.emial"));
        Api.Response a = q.query(p("ben"), denied);
        Api.Response b = q.query(p("ben"), unknown);
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        assertThat(b.status()).isEqualTo(a.status());
        JsonNode x = a.json();
        JsonNode y = b.json();
        assertThat(x.get("type")).isEqualTo(y.get("type"));
        assertThat(x.get("title")).isEqualTo(y.get("title"));
        assertThat(x.get("detail").stringValue().replace("users.email", "F"))
                .isEqualTo(y.get("detail").stringValue().replace("users.emial", "F"));
        // ava, who has pii_access, gets the emails of the same topic.
        Api.Response allowed = q.query(p("ava"), query("customers", List.of("users.email"),
                "sorts", List.of(Map.of("field", "users.email", "direction", "asc")), "limit", 1));
        assertThat(rows(allowed).getFirst().getFirst()).endsWith("@example.com");
    }

    @Test
    void generatedSqlIsShownToModelersAndAboveOnly() {
        assertThat(QueryFixtures.exact(q.query(p("ava"), BY_REGION)).has("sql")).isTrue();
        assertThat(QueryFixtures.exact(q.query(p("gus"), BY_REGION)).get("sql").stringValue()).contains("SELECT");
        assertThat(QueryFixtures.exact(q.query(p("ben"), BY_REGION)).has("sql")).isFalse();
        assertThat(QueryFixtures.exact(q.query(p("cara"), BY_REGION)).has("sql")).isFalse();
        assertThat(QueryFixtures.exact(q.query(p("gwen"), BY_REGION)).has("sql")).isTrue();

        Api.Response querier = q.api().post(p("ben").key(), "/api/v1/query/sql", BY_REGION);
        assertThat(querier.status()).as(querier.body()).isEqualTo(403);
        assertThat(querier.body()).doesNotContain("SELECT");
        Api.Response modeler = q.api().post(p("gus").key(), "/api/v1/query/sql", BY_REGION);
        assertThat(modeler.status()).as(modeler.body()).isEqualTo(200);
        // bind values appear as ?, never as the person's attribute values
        assertThat(modeler.json().get("sql").stringValue()).contains("?").doesNotContain("'east'").doesNotContain("'west'");
    }

    @Test
    void csvGivesTheSameRowsWithAHeader() {
        Api.Response csv = q.csv(p("ava").key(), BY_REGION);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body()).isEqualTo("orders.region,orders.count,orders.total_amount\r\n"
                + "east,242102,44289854.89\r\n"
                + "north,291190,53134328.04\r\n"
                + "south,241379,43990864.42\r\n"
                + "west,195324,35725469.39\r\n");

        Api.Response ben = q.csv(p("ben").key(), BY_REGION);
        assertThat(ben.body()).isEqualTo("orders.region,orders.count,orders.total_amount\r\nnorth,291190,53134328.04\r\n");

        // Text with spaces and '#' needs no quoting (RFC 4180 quotes only fields with , " CR or LF).
        Api.Response products = q.csv(p("ava").key(), query("catalog", List.of("products.name", "products.price"),
                "sorts", List.of(Map.of("field", "products.name", "direction", "asc")), "limit", 3));
        List<List<String>> json = rows(q.query(p("ava"), query("catalog", List.of("products.name", "products.price"),
                "sorts", List.of(Map.of("field", "products.name", "direction", "asc")), "limit", 3)));
        List<String> expected = new ArrayList<>();
        expected.add("products.name,products.price");
        json.forEach(r -> expected.add(String.join(",", r)));
        assertThat(products.body()).isEqualTo(String.join("\r\n", expected) + "\r\n");

        // A refusal is a problem, not a CSV body.
        Api.Response dan = q.csv(p("dan").key(), BY_REGION);
        assertThat(dan.status()).isEqualTo(403);
        assertThat(dan.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aSmallLimitCutsTheRowsAndSaysSo() {
        Map<String, Object> two = new java.util.LinkedHashMap<>(BY_REGION);
        two.put("limit", 2);
        JsonNode cut = QueryFixtures.exact(q.query(p("ava"), two));
        assertThat(cut.get("rows").size()).isEqualTo(2);
        assertThat(cut.get("meta").get("truncated").booleanValue()).isTrue();
        assertThat(cut.get("meta").get("row_count").intValue()).isEqualTo(2);
        assertThat(rows(q.query(p("ava"), two))).containsExactly(EAST, NORTH);

        Map<String, Object> four = new java.util.LinkedHashMap<>(BY_REGION);
        four.put("limit", 4);
        JsonNode whole = QueryFixtures.exact(q.query(p("ava"), four));
        assertThat(whole.get("rows").size()).isEqualTo(4);
        assertThat(whole.get("meta").get("truncated").booleanValue()).isFalse();

        Map<String, Object> csvTwo = new java.util.LinkedHashMap<>(two);
        csvTwo.put("cache", false);
        Api.Response csv = q.csv(p("ava").key(), csvTwo);
        assertThat(csv.body()).isEqualTo("orders.region,orders.count,orders.total_amount\r\n"
                + "east,242102,44289854.89\r\nnorth,291190,53134328.04\r\n");
    }

    @Test
    void timestampsComeBackInTheQuerysZoneWithItsOffset() {
        // The first order hour: orders start at 2024-01-01 00:00 UTC, which is 19:00 the day before in New York.
        Map<String, Object> first = query("orders", List.of("orders.created_at[hour]", "orders.count"),
                "sorts", List.of(Map.of("field", "orders.created_at[hour]", "direction", "asc")), "limit", 1,
                "timezone", "America/New_York");
        List<List<String>> winter = rows(q.query(p("ava"), first));
        assertThat(winter.getFirst().getFirst()).isEqualTo("2023-12-31T19:00-05:00");
        JsonNode body = QueryFixtures.exact(q.query(p("ava"), first));
        assertThat(body.get("meta").get("timezone").stringValue()).isEqualTo("America/New_York");

        // Summer time: a date filter is read in the query's zone, and the offset is -04:00.
        Map<String, Object> july = query("orders", List.of("orders.created_at[hour]"),
                "filters", List.of(Map.of("field", "orders.created_at", "op", "between",
                        "values", List.of("2024-07-01", "2024-07-01"))),
                "sorts", List.of(Map.of("field", "orders.created_at[hour]", "direction", "asc")),
                "timezone", "America/New_York");
        List<List<String>> hours = rows(q.query(p("ava"), july));
        assertThat(hours).hasSize(24);
        assertThat(hours.getFirst().getFirst()).isEqualTo("2024-07-01T00:00-04:00");
        assertThat(hours.getLast().getFirst()).isEqualTo("2024-07-01T23:00-04:00");

        // The same instant in UTC.
        Map<String, Object> utc = new java.util.LinkedHashMap<>(first);
        utc.put("timezone", "UTC");
        assertThat(rows(q.query(p("ava"), utc)).getFirst().getFirst()).isEqualTo("2024-01-01T00:00Z");
    }
}
