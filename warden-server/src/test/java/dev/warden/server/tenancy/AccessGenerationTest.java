package dev.warden.server.tenancy;

import static dev.warden.server.support.QueryFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.OrgId;
import dev.warden.server.access.OrgRole;
import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.attributes.UserAttributes;
import dev.warden.server.connections.Connections;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import dev.warden.server.support.QueryFixtures;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
/**
 * The access generation: every change that decides access moves the org's generation in the
 * same transaction; the node-local caches of derived data (attribute values, defaults, active
 * models, grants, key owners) are keyed by it, so a change committed by ANY node (simulated
 * here by plain SQL on the shared store, as another node's transaction would do it) applies to
 * the very next request; key revocation is seen without it (the key is read on every request);
 * and a transaction that changes access and rolls back never leaves what it saw in a cache.
 */
class AccessGenerationTest extends ApiTest {
    private static final Map<String, Object> QUERY = QueryFixtures.query("items",
            List.of("items.region", "items.count"), "sorts", List.of(Map.of("field", "items.region", "direction", "asc")));
    private static final List<List<String>> NORTH = List.of(List.of("north", "2"));
    private static final List<List<String>> SOUTH = List.of(List.of("south", "1"));

    @Autowired
    AttributeRepository attributes;
    @Autowired
    UserAttributes userAttributes;
    @Autowired
    Connections connections;
    @Autowired
    AccessGenerations generations;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    private record Setup(QueryFixtures q, Fixtures.TestOrg org, String connection, String model, Fixtures.Person north) {}

    private Setup setup() throws Exception {
        String relative = QueryFixtures.itemsWarehouse("generation_" + UUID.randomUUID().toString().substring(0, 8),
                "a", "b", "c");
        QueryFixtures q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        Fixtures.TestOrg org = q.org("region");
        String connection = q.connection(org, Map.of("name", "wh", "type", "duckdb", "path", relative,
                "base_role", "NO_ACCESS"));
        String model = q.model(org, connection, "items", QueryFixtures.ITEMS_MODEL);
        Fixtures.Person north = q.person(org, OrgRole.MEMBER, Map.of("region", List.of("north")));
        q.grant(org, connection, north, ConnectionRole.QUERIER);
        return new Setup(q, org, connection, model, north);
    }

    private long generation(OrgId org) {
        return jdbc.sql("SELECT access_generation FROM orgs WHERE id = ?").param(org.value()).query(Long.class).single();
    }

    private static List<List<String>> ok(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return rows(r);
    }

    /** Runs SQL in one transaction, as another node sharing the metadata store would commit a change. */
    private void elsewhere(Runnable work) {
        new TransactionTemplate(transactions).executeWithoutResult(s -> work.run());
    }

    @Test
    void everyChangeThatDecidesAccessMovesTheGenerationAndAppliesToTheNextRequest() throws Exception {
        Setup s = setup();
        OrgId org = s.org().id();
        String admin = s.org().admin().key();
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(NORTH);
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(NORTH); // caches warm

        long g = generation(org);
        attributes.setValues(org, s.north().id(), "region", List.of("south"));
        assertThat(generation(org)).isGreaterThan(g);
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(SOUTH);

        g = generation(org);
        Api.Response defined = api().post(admin, "/api/v1/user-attributes",
                Map.of("name", "tier", "type", "string", "multi_valued", false, "default_value", "gold"));
        assertThat(defined.status()).as(defined.body()).isEqualTo(201);
        assertThat(generation(org)).isGreaterThan(g);

        g = generation(org);
        Api.Response group = api().post(admin, "/api/v1/groups", Map.of("name", "Team",
                "members", List.of(s.north().id().toString())));
        assertThat(group.status()).as(group.body()).isEqualTo(201);
        assertThat(generation(org)).isGreaterThan(g);
        g = generation(org);
        assertThat(api().patch(admin, "/api/v1/groups/" + group.json().path("id").asString(),
                Map.of("members", List.of())).status()).isEqualTo(200);
        assertThat(generation(org)).isGreaterThan(g);

        g = generation(org);
        assertThat(api().post(admin, "/api/v1/models/" + s.model() + "/versions/1/activate", null).status()).isEqualTo(200);
        assertThat(generation(org)).isGreaterThan(g);

        // The role on the connection: taken away, the very next query is refused.
        g = generation(org);
        s.q().grant(s.org(), s.connection(), s.north(), ConnectionRole.VIEWER);
        assertThat(generation(org)).isGreaterThan(g);
        assertThat(s.q().query(s.north(), QUERY).status()).isIn(400, 403);
        s.q().grant(s.org(), s.connection(), s.north(), ConnectionRole.QUERIER);
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(SOUTH);

        // Keys: issuing and revoking move it; a revoked key is refused at once.
        g = generation(org);
        Api.Response key = api().post(s.north().key(), "/api/v1/api-keys", Map.of("name", "second"));
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        assertThat(generation(org)).isGreaterThan(g);
        String second = key.json().path("secret").asString();
        assertThat(api().post(second, "/api/v1/query", QUERY).status()).isEqualTo(200);
        g = generation(org);
        assertThat(api().delete(s.north().key(), "/api/v1/api-keys/" + key.json().path("key").path("id").asString())
                .status()).isEqualTo(204);
        assertThat(generation(org)).isGreaterThan(g);
        assertThat(api().post(second, "/api/v1/query", QUERY).status()).isEqualTo(401);

        // A person disabled: the owner cache of the old generation is never asked again.
        g = generation(org);
        assertThat(api().patch(admin, "/api/v1/users/" + s.north().id(), Map.of("disabled", true)).status())
                .isEqualTo(200);
        assertThat(generation(org)).isGreaterThan(g);
        assertThat(s.q().query(s.north(), QUERY).status()).isEqualTo(401);
    }

    @Test
    void aChangeCommittedByAnotherNodeAppliesToTheVeryNextRequestHere() throws Exception {
        Setup s = setup();
        OrgId org = s.org().id();
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(NORTH);
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(NORTH);

        // Another node changes the value and moves the generation in one transaction.
        elsewhere(() -> {
            jdbc.sql("UPDATE user_attribute_values SET attr_value = 'south' WHERE org_id = ? AND user_id = ? AND name = 'region'")
                    .params(org.value(), s.north().id().value()).update();
            jdbc.sql("UPDATE orgs SET access_generation = access_generation + 1 WHERE id = ?").param(org.value()).update();
        });
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(SOUTH);

        // Another node takes the grant away.
        elsewhere(() -> {
            jdbc.sql("DELETE FROM connection_grants WHERE org_id = ? AND user_id = ?")
                    .params(org.value(), s.north().id().value()).update();
            jdbc.sql("UPDATE orgs SET access_generation = access_generation + 1 WHERE id = ?").param(org.value()).update();
        });
        assertThat(s.q().query(s.north(), QUERY).status()).isIn(400, 403);
        elsewhere(() -> {
            jdbc.sql("INSERT INTO connection_grants (org_id, connection_id, user_id, role) VALUES (?, ?, ?, 'QUERIER')")
                    .params(org.value(), UUID.fromString(s.connection()), s.north().id().value()).update();
            jdbc.sql("UPDATE orgs SET access_generation = access_generation + 1 WHERE id = ?").param(org.value()).update();
        });
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(SOUTH);

        // Another node deactivates the model.
        elsewhere(() -> {
            jdbc.sql("UPDATE models SET active_version = NULL WHERE org_id = ?").param(org.value()).update();
            jdbc.sql("UPDATE orgs SET access_generation = access_generation + 1 WHERE id = ?").param(org.value()).update();
        });
        assertThat(s.q().query(s.north(), QUERY).status()).isEqualTo(409);
        elsewhere(() -> {
            jdbc.sql("UPDATE models SET active_version = 1 WHERE org_id = ?").param(org.value()).update();
            jdbc.sql("UPDATE orgs SET access_generation = access_generation + 1 WHERE id = ?").param(org.value()).update();
        });
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(SOUTH);

        // Revocation and expiry need no generation: the key itself is read on every request.
        elsewhere(() -> jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE org_id = ? AND user_id = ?")
                .params(OffsetDateTime.now(), org.value(), s.north().id().value()).update());
        assertThat(s.q().query(s.north(), QUERY).status()).isEqualTo(401);
    }

    @Test
    void aModelNeverActivatedDoesNotBreakTheOrgsQueries() throws Exception {
        Setup s = setup();
        // A second model, created but with no active version (active_version NULL): it is skipped.
        Api.Response created = api().post(s.org().admin().key(), "/api/v1/models",
                Map.of("name", "draft", "connection_id", s.connection()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(NORTH);
    }

    @Test
    void derivedDataIsCachedPerGenerationSoOnlyTheGenerationInvalidatesIt() throws Exception {
        Setup s = setup();
        OrgId org = s.org().id();
        long g = generation(org);
        assertThat(userAttributes.valuesOf(org, g, s.north().id(), s.north().email()).get("region")).containsExactly("north");
        // A write that bypasses the repositories (never done by Warden) is not seen: the cache is real ...
        jdbc.sql("UPDATE user_attribute_values SET attr_value = 'south' WHERE org_id = ? AND user_id = ?")
                .params(org.value(), s.north().id().value()).update();
        assertThat(userAttributes.valuesOf(org, s.north().id(), s.north().email()).get("region")).containsExactly("north");
        // ... and the generation is what invalidates it.
        jdbc.sql("UPDATE orgs SET access_generation = access_generation + 1 WHERE id = ?").param(org.value()).update();
        assertThat(userAttributes.valuesOf(org, s.north().id(), s.north().email()).get("region")).containsExactly("south");
    }

    @Test
    void aTransactionThatChangesAccessAndRollsBackLeavesNothingInTheCaches() throws Exception {
        Setup s = setup();
        OrgId org = s.org().id();
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(NORTH);
        long g = generation(org);
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            attributes.setValues(org, s.north().id(), "region", List.of("south"));
            assertThat(generations.changedInThisTransaction(org)).isTrue();
            // It sees its own uncommitted change, read afresh rather than from the cache ...
            assertThat(userAttributes.valuesOf(org, s.north().id(), s.north().email()).get("region")).containsExactly("south");
            assertThat(userAttributes.valuesOf(org, g, s.north().id(), s.north().email()).get("region")).containsExactly("south");
            status.setRollbackOnly();
        });
        // ... which no one else ever sees: not the generation, not the caches, not the next query.
        assertThat(generation(org)).isEqualTo(g);
        assertThat(userAttributes.valuesOf(org, s.north().id(), s.north().email()).get("region")).containsExactly("north");
        assertThat(ok(s.q().query(s.north(), QUERY))).isEqualTo(NORTH);
    }
}
