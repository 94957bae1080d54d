package dev.warden.server.connections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgRole;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import dev.warden.server.support.QueryFixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attacks a connection admin (or any member) could try with connection settings. */
class ConnectionAttacksTest extends ApiTest {
    private static final String MODEL = """
            connection: stolen
            views:
              orders:
                table: main.orders
                primary_key: id
                dimensions:
                  id: { type: number }
                  region: { type: string }
                measures:
                  count: { type: count }
            topics:
              orders:
                base_view: orders
            """;

    @Test
    void aDuckdbPathNamesAFileOfTheOrgsOwnDirectoryNeverAnotherOrgsWarehouse() {
        QueryFixtures.ensureDemoWarehouse();
        Fixtures.TestOrg attacker = fixtures.org();
        // demo/warehouse.duckdb exists for other orgs (and as the shared source); not for this one
        Api.Response created = api().post(attacker.admin().key(), "/api/v1/connections", Map.of("name", "stolen",
                "type", "duckdb", "path", "demo/warehouse.duckdb", "base_role", "QUERIER"));
        assertThat(created.status()).isEqualTo(201);
        String connection = created.json().path("id").asString();
        String model = api().post(attacker.admin().key(), "/api/v1/models", Map.of("name", "m", "connection_id", connection))
                .json().path("id").asString();
        assertThat(api().send(attacker.admin().key(), "POST", "/api/v1/models/" + model + "/versions", MODEL,
                "application/yaml").status()).isEqualTo(201);
        api().post(attacker.admin().key(), "/api/v1/models/" + model + "/versions/1/activate", null);
        Api.Response query = api().post(attacker.admin().key(), "/api/v1/query",
                "{\"topic\": \"orders\", \"fields\": [\"orders.count\"]}");
        assertThat(query.status()).as(query.body()).isGreaterThanOrEqualTo(500);
        assertThat(query.body()).doesNotContain("rows");
        // and no path climbs out of the org's directory
        for (String path : new String[] {"../demo/warehouse.duckdb", "/etc/passwd.duckdb", "a/../../b.duckdb"}) {
            assertThat(api().post(attacker.admin().key(), "/api/v1/connections", Map.of("name", "climb", "type", "duckdb",
                    "path", path)).status()).as(path).isEqualTo(400);
        }
    }

    @Test
    void pointingAConnectionElsewhereNeedsItsSecretAgainSoItCannotBeSentToAnAttacker() {
        Fixtures.TestOrg org = fixtures.org();
        Api.Response created = api().post(org.admin().key(), "/api/v1/connections", Map.of("name", "pg", "type", "postgres",
                "host", "db.internal.example", "database", "analytics", "user", "warden", "password", "the-real-secret",
                "tls_mode", "verify-full"));
        String id = created.json().path("id").asString();
        for (Map<String, Object> move : java.util.List.<Map<String, Object>>of(Map.of("host", "evil.example"),
                Map.of("port", 6543), Map.of("tls_mode", "disable"), Map.of("user", "other"), Map.of("database", "other"))) {
            Api.Response moved = api().patch(org.admin().key(), "/api/v1/connections/" + id, move);
            assertThat(moved.status()).as(move + ": " + moved.body()).isEqualTo(400);
        }
        assertThat(api().get(org.admin().key(), "/api/v1/connections/" + id).json().path("host").asString())
                .isEqualTo("db.internal.example");
        // changes that do not move it keep the secret
        assertThat(api().patch(org.admin().key(), "/api/v1/connections/" + id, Map.of("statement_timeout_seconds", 30))
                .status()).isEqualTo(200);
    }

    @Test
    void namesThatReachTheJdbcUrlCannotCarryDriverSettings() {
        Fixtures.TestOrg org = fixtures.org();
        for (Map.Entry<String, String> bad : java.util.List.of(
                Map.entry("database", "analytics?sslmode=disable&readOnlyMode=ignore"),
                Map.entry("user", "warden&password=x"), Map.entry("database", "a/b"), Map.entry("schema", "x;drop"))) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "pg", "type", "postgres",
                    "host", "db.example", "database", "analytics", "user", "warden"));
            body.put(bad.getKey(), bad.getValue());
            Api.Response refused = api().post(org.admin().key(), "/api/v1/connections", body);
            assertThat(refused.status()).as(bad.toString()).isEqualTo(400);
        }
    }

    @Test
    void validatingModelsNeedsTheModelerRoleSomewhere() {
        Fixtures.TestOrg org = fixtures.org();
        String member = fixtures.person(org, OrgRole.MEMBER).key();
        assertThat(api().send(member, "POST", "/api/v1/models/validate", MODEL, "application/yaml").status())
                .isEqualTo(403);
        api().post(org.admin().key(), "/api/v1/connections", Map.of("name", "stolen", "type", "duckdb",
                "path", "x.duckdb"));
        assertThat(api().send(org.admin().key(), "POST", "/api/v1/models/validate", MODEL, "application/yaml").status())
                .isEqualTo(200);
    }
}
