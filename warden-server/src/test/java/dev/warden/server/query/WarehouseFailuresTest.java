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
import dev.warden.server.support.TestWarehouses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * When a warehouse fails, Warden says what failed, with a fitting status, and nothing more: no
 * SQL, no stack trace, no driver message, no host internals, no secret. And once the connection
 * is fixed, the very next request works, without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WarehouseFailuresTest extends ApiTest {
    private static final Map<String, Object> BY_REGION = query("orders",
            List.of("orders.region", "orders.count", "orders.total_amount"),
            "sorts", List.of(Map.of("field", "orders.region", "direction", "asc")));
    private static final Set<String> PROBLEM_MEMBERS = Set.of("type", "title", "status", "detail", "instance", "request_id");

    @Autowired
    AttributeRepository attributes;
    @Autowired
    Connections connections;

    private QueryFixtures q;
    private boolean postgres;
    private boolean mariadb;
    private TestWarehouses.Warehouse pg;
    private final List<TestWarehouses.Warehouse> made = new ArrayList<>();

    @BeforeAll
    void setUp() {
        q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        postgres = TestWarehouses.postgresAnswers();
        mariadb = TestWarehouses.mariadbAnswers();
    }

    @AfterAll
    void dropDatabases() {
        made.forEach(TestWarehouses::drop);
    }

    private TestWarehouses.Warehouse pg() {
        TestWarehouses.require("PostgreSQL", postgres);
        if (pg == null) {
            pg = TestWarehouses.postgres();
            made.add(pg);
        }
        return pg;
    }

    private Map<String, Object> pgConnection(String name, Map<String, Object> overrides) {
        TestWarehouses.Warehouse w = pg();
        Map<String, Object> c = new HashMap<>(Map.of("name", name, "type", "postgres", "host", "127.0.0.1", "port", TestWarehouses.PG_PORT,
                "database", w.database(), "user", w.user(), "password", w.password(), "tls_mode", "disable"));
        c.putAll(overrides);
        return c;
    }

    private JsonNode test(Fixtures.TestOrg org, String connection, String... secrets) {
        Api.Response r = q.api().post(org.admin().key(), "/api/v1/connections/" + connection + "/test", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (String secret : secrets) {
            assertThat(r.body()).doesNotContain(secret);
        }
        JsonNode body = r.json();
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("ok", "failure", "detail");
        assertThat(body.get("ok").booleanValue()).isFalse();
        return body;
    }

    /** A problem that names what failed and nothing of how the warehouse or Warden is built. */
    private static void assertCleanProblem(Api.Response r, int status, String... neverIn) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode body = r.json();
        assertThat(body.propertyNames()).allMatch(PROBLEM_MEMBERS::contains);
        assertThat(body.get("type").stringValue()).startsWith("urn:warden:problem:warehouse-");
        assertThat(body.get("detail").stringValue()).isNotBlank();
        String text = r.body().toLowerCase(java.util.Locale.ROOT);
        for (String leak : List.of("select", "pg_sleep", "from ", "127.0.0.1", String.valueOf(TestWarehouses.PG_PORT), "3306", "postgres", "mariadb",
                "psql", "sqlstate", "exception", "jdbc", "hikari", "\tat ", "java.", "org.", "caused by")) {
            assertThat(text).as("problem body leaks '" + leak + "': " + r.body()).doesNotContain(leak);
        }
        for (String secret : neverIn) {
            assertThat(r.body()).doesNotContain(secret);
        }
    }

    @Test
    void connectionTestNamesUnreachableUnknownDatabaseAndTls() {
        Fixtures.TestOrg org = q.org("region");
        String password = pg().password();

        JsonNode unreachable = test(org, q.connection(org, pgConnection("closed_port", Map.of("port", 1))), password);
        assertThat(unreachable.get("failure").stringValue()).isEqualTo("unreachable");
        assertThat(unreachable.get("detail").stringValue()).isEqualTo("the warehouse could not be reached");

        JsonNode unknownDb = test(org, q.connection(org, pgConnection("no_db",
                Map.of("database", "wtest_missing_" + System.nanoTime()))), password);
        assertThat(unknownDb.get("failure").stringValue()).isEqualTo("unknown_database");

        JsonNode tls = test(org, q.connection(org, pgConnection("tls_unverifiable", Map.of("tls_mode", "verify-full"))),
                password);
        assertThat(tls.get("failure").stringValue()).isEqualTo("tls");

        Api.Response fine = q.api().post(org.admin().key(),
                "/api/v1/connections/" + q.connection(org, pgConnection("fine", Map.of())) + "/test", null);
        assertThat(fine.json().get("ok").booleanValue()).as(fine.body()).isTrue();
        assertThat(fine.body()).doesNotContain(password);
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailureAndRecovers() {
        TestWarehouses.require("MariaDB", mariadb);
        TestWarehouses.Warehouse w = TestWarehouses.mariadb();
        made.add(w);
        Fixtures.TestOrg org = q.org("region");
        q.setAttributes(org, org.admin(), Map.of("region", List.of("all")));
        String wrong = "wrong-" + w.password();
        String connection = q.connection(org, Map.of("name", "wh", "type", "mysql", "host", "127.0.0.1", "port", 3306,
                "database", w.database(), "user", w.user(), "password", wrong, "tls_mode", "disable"));
        q.model(org, connection, "shop", TestWarehouses.model(w.database()));

        JsonNode test = test(org, connection, wrong, w.password());
        assertThat(test.get("failure").stringValue()).isEqualTo("authentication");
        assertThat(test.get("detail").stringValue()).isEqualTo("the warehouse refused the credentials");

        Api.Response refused = q.query(org.admin(), BY_REGION);
        assertCleanProblem(refused, 502, wrong, w.password(), w.user(), w.database());

        Api.Response fixed = q.api().patch(org.admin().key(), "/api/v1/connections/" + connection,
                Map.of("password", w.password()));
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
        assertThat(rows(q.query(org.admin(), BY_REGION))).hasSize(3);
    }

    @Test
    void warehouseDownIs503AndTheNextRequestAfterTheFixWorks() {
        Fixtures.TestOrg org = q.org("region");
        q.setAttributes(org, org.admin(), Map.of("region", List.of("all")));
        String connection = q.connection(org, pgConnection("wh", Map.of("port", 1)));
        q.model(org, connection, "shop", TestWarehouses.model("public"));

        Api.Response down = q.query(org.admin(), BY_REGION);
        assertCleanProblem(down, 503, pg().password(), pg().database());
        assertThat(down.json().get("detail").stringValue()).contains("could not be reached");

        // Moving a connection needs its secret again (the secret goes only where it was given for).
        Api.Response withoutSecret = q.api().patch(org.admin().key(), "/api/v1/connections/" + connection,
                Map.of("port", TestWarehouses.PG_PORT));
        assertThat(withoutSecret.status()).as(withoutSecret.body()).isEqualTo(400);
        Api.Response fixed = q.api().patch(org.admin().key(), "/api/v1/connections/" + connection,
                Map.of("port", TestWarehouses.PG_PORT, "password", pg().password()));
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
        assertThat(rows(q.query(org.admin(), BY_REGION))).containsExactly(
                List.of("east", "12", "236.34"), List.of("north", "12", "212.10"), List.of("south", "12", "224.22"));
    }

    @Test
    void aStatementOverTheTimeoutIs504() {
        Fixtures.TestOrg org = q.org("region");
        String connection = q.connection(org, pgConnection("wh", Map.of("statement_timeout_seconds", 1)));
        q.model(org, connection, "slow", """
                connection: wh
                views:
                  slow:
                    sql: SELECT 1 AS id FROM pg_sleep(5)
                    primary_key: id
                    dimensions:
                      id: { type: number }
                    measures:
                      count: { type: count }
                  fast:
                    sql: SELECT 2 AS id
                    primary_key: id
                    dimensions:
                      id: { type: number }
                topics:
                  slow:
                    base_view: slow
                    access_filters: []
                  fast:
                    base_view: fast
                    access_filters: []
                """);
        long started = System.nanoTime();
        Api.Response slow = q.query(org.admin(), query("slow", List.of("slow.count")));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertCleanProblem(slow, 504, pg().password());
        assertThat(slow.json().get("detail").stringValue()).contains("statement timeout");
        assertThat(millis).as("cancelled at the timeout, not after the sleep").isLessThan(4_500);

        // The cancelled statement left the warehouse and the pool usable: the next query answers.
        assertThat(rows(q.query(org.admin(), query("fast", List.of("fast.id"))))).containsExactly(List.of("2"));
    }

    @Test
    void noActiveModelIs409() {
        Fixtures.TestOrg org = q.org("region");
        Api.Response none = q.query(org.admin(), BY_REGION);
        assertThat(none.status()).as(none.body()).isEqualTo(409);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(none.json().get("type").stringValue()).isEqualTo("urn:warden:problem:no-active-model");
        assertThat(none.json().get("detail").stringValue()).contains("no active model");
    }
}
