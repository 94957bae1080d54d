package dev.warden.server.supportaccess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.demo.DemoOrgs;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.SupportKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Vendor support access from both sides (issue 7): operators see nothing of an org until its admin
 * grants access, work within the grant's scope, are cut off at once by expiry or revocation, and
 * every step they take is in the org's audit log under their real identity, grant and reason.
 */
class SupportAccessTest extends ApiTest {
    private static final String ORDERS = "{\"topic\": \"orders\", \"fields\": [\"orders.count\"]}";
    private static final String CATALOG = "{\"topic\": \"catalog\", \"fields\": [\"products.count\"]}";

    @Autowired
    DemoOrgs demo;

    @BeforeAll
    static void demoWarehouse() {
        dev.warden.server.support.QueryFixtures.ensureDemoWarehouse();
    }

    @AfterEach
    void putTheClockBack() {
        clock.reset();
    }

    private record DemoOrg(String slug, String admin, DemoOrgs.Created created) {}

    private DemoOrg demoOrg() {
        String slug = "sup-" + UUID.randomUUID().toString().substring(0, 8);
        DemoOrgs.Created created = demo.create(slug, "acme", DemoOrgs.model());
        return new DemoOrg(slug, created.person("ava").key(), created);
    }

    private String grant(DemoOrg org, String scope, int hours, List<String> operators) {
        Api.Response granted = api().post(org.admin(), "/api/v1/support-access", Map.of("scope", scope,
                "duration_hours", hours, "reason", "ticket 4711: dashboards are slow", "operators", operators));
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        return granted.json().path("id").asString();
    }

    private Api.Response openSession(String operatorKey, String org) {
        return api().post(operatorKey, "/operator/api/v1/orgs/" + org + "/sessions", null);
    }

    private String session(String operatorKey, String org) {
        Api.Response opened = openSession(operatorKey, org);
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        return opened.json().path("token").asString();
    }

    @Test
    void withoutAGrantAnOperatorSeesNoOrgAndEveryAttemptIsRefusedAndAudited() {
        DemoOrg org = demoOrg();
        assertThat(api().get(SupportKeys.ALICE, "/operator/api/v1/orgs").body()).doesNotContain(org.slug());
        Api.Response refused = openSession(SupportKeys.ALICE, org.slug());
        Api.Response unknown = openSession(SupportKeys.ALICE, "no-such-org-" + UUID.randomUUID());
        assertThat(refused.status()).isEqualTo(404).isEqualTo(unknown.status());
        assertThat(refused.json().path("detail").asString()).isEqualTo(unknown.json().path("detail").asString());
        // an operator key never opens an org's API by itself
        for (String path : List.of("/api/v1/me", "/api/v1/users", "/api/v1/topics")) {
            assertThat(api().get(SupportKeys.ALICE, path).status()).as(path).isEqualTo(403);
        }
        // and an org's own people never open the operator API
        assertThat(api().get(org.admin(), "/operator/api/v1/orgs").status()).isEqualTo(403);
        JsonNode denied = api().get(org.admin(), "/api/v1/audit-events?action=support.session.denied").json().path("events");
        assertThat(denied).hasSize(1);
        assertThat(denied.get(0).path("actor").path("id").asString()).isEqualTo("alice");
        assertThat(denied.get(0).path("actor").path("kind").asString()).isEqualTo("OPERATOR");
    }

    @Test
    void metadataScopeReadsMetadataAndNothingElse() {
        DemoOrg org = demoOrg();
        String grant = grant(org, "METADATA", 24, List.of());
        assertThat(api().get(SupportKeys.ALICE, "/operator/api/v1/orgs").body()).contains(org.slug(), grant);
        String token = session(SupportKeys.ALICE, org.slug());

        JsonNode me = api().get(token, "/api/v1/me").json();
        assertThat(me.path("actor_kind").asString()).isEqualTo("OPERATOR");
        assertThat(me.path("support_grant").path("grant_id").asString()).isEqualTo(grant);
        assertThat(me.path("support_grant").path("scope").asString()).isEqualTo("METADATA");
        assertThat(me.path("user_id").isNull()).isTrue();
        String connection = api().get(token, "/api/v1/connections").json().get(0).path("id").asString();
        for (String path : List.of("/api/v1/users", "/api/v1/groups", "/api/v1/user-attributes", "/api/v1/connections",
                "/api/v1/connections/" + connection, "/api/v1/models", "/api/v1/topics", "/api/v1/topics/orders")) {
            assertThat(api().get(token, path).status()).as(path).isEqualTo(200);
        }
        // no query results, no CSV, no secrets, keys, SSO, grants, audit log, view-as, and no writes
        assertThat(api().post(token, "/api/v1/query", CATALOG).status()).isEqualTo(403);
        assertThat(api().send(token, "POST", "/api/v1/query", CATALOG, "application/json").status()).isEqualTo(403);
        assertThat(api().post(token, "/api/v1/query/sql", CATALOG).status()).isEqualTo(403);
        assertRefusedEverywhereElse(token, connection, org);
    }

    @Test
    void dataScopeAlsoQueriesButStillNeverTouchesSecretsKeysGrantsOrActsAsSomeone() {
        DemoOrg org = demoOrg();
        grant(org, "DATA", 24, List.of());
        String token = session(SupportKeys.ALICE, org.slug());
        Api.Response catalog = api().post(token, "/api/v1/query", CATALOG);
        assertThat(catalog.status()).as(catalog.body()).isEqualTo(200);
        assertThat(catalog.json().path("rows").get(0).toString()).isEqualTo("[1000]");
        // an operator carries no attributes: a region-filtered topic denies, as for anyone without one
        assertThat(api().post(token, "/api/v1/query", ORDERS).status()).isEqualTo(400);
        String ben = org.created().person("ben").id().toString();
        assertThat(api().post(token, "/api/v1/query", CATALOG.replace("{\"topic\"", "{\"as_user\": \"" + ben
                + "\", \"topic\"")).status()).isEqualTo(403);
        String connection = api().get(token, "/api/v1/connections").json().get(0).path("id").asString();
        assertRefusedEverywhereElse(token, connection, org);
    }

    private void assertRefusedEverywhereElse(String token, String connection, DemoOrg org) {
        assertThat(api().patch(token, "/api/v1/connections/" + connection, Map.of("password", "mine")).status()).isEqualTo(403);
        assertThat(api().post(token, "/api/v1/connections/" + connection + "/test", null).status()).isEqualTo(403);
        assertThat(api().get(token, "/api/v1/api-keys").status()).isEqualTo(403);
        assertThat(api().post(token, "/api/v1/api-keys", Map.of("name", "mine")).status()).isEqualTo(403);
        assertThat(api().get(token, "/api/v1/support-access").status()).isEqualTo(403);
        assertThat(api().post(token, "/api/v1/support-access", Map.of("scope", "DATA", "duration_hours", 168,
                "reason", "extend myself")).status()).isEqualTo(403);
        assertThat(api().get(token, "/api/v1/audit-events").status()).isEqualTo(403);
        assertThat(api().get(token, "/api/v1/audit-events/export").status()).isEqualTo(403);
        assertThat(api().post(token, "/api/v1/users", Map.of("email", "op@evil.example", "org_role", "ORG_ADMIN")).status())
                .isEqualTo(403);
        assertThat(api().get(token, "/api/v1/topics?as_user=" + org.created().person("ben").id()).status()).isEqualTo(403);
        String model = org.created().model().toString();
        assertThat(api().send(token, "POST", "/api/v1/models/" + model + "/versions", DemoOrgs.model(), "application/yaml")
                .status()).isEqualTo(403);
    }

    @Test
    void expiryAndRevocationCutASessionOnItsVeryNextRequest() {
        DemoOrg org = demoOrg();
        String grant = grant(org, "METADATA", 2, List.of());
        String token = session(SupportKeys.ALICE, org.slug());
        assertThat(api().get(token, "/api/v1/users").status()).isEqualTo(200);
        clock.advance(Duration.ofHours(2).plusSeconds(1));
        assertThat(api().get(token, "/api/v1/users").status()).isEqualTo(401);
        assertThat(openSession(SupportKeys.ALICE, org.slug()).status()).isEqualTo(404);
        clock.reset();

        String second = grant(org, "DATA", 24, List.of());
        String token2 = session(SupportKeys.ALICE, org.slug());
        assertThat(api().post(token2, "/api/v1/query", CATALOG).status()).isEqualTo(200);
        assertThat(api().delete(org.admin(), "/api/v1/support-access/" + second).status()).isEqualTo(204);
        assertThat(api().post(token2, "/api/v1/query", CATALOG).status()).isEqualTo(401);
        JsonNode grants = api().get(org.admin(), "/api/v1/support-access").json();
        assertThat(grants.get(0).path("state").asString()).isEqualTo("REVOKED"); // newest first
        JsonNode refusals = api().get(org.admin(), "/api/v1/audit-events?action=support.session.refused").json().path("events");
        assertThat(refusals.findValuesAsString("refusal")).contains("GRANT_EXPIRED", "GRANT_REVOKED");
        assertThat(grant).isNotEqualTo(second);
    }

    @Test
    void anOperatorNotNamedInAGrantThatNamesOperatorsIsRefused() {
        DemoOrg org = demoOrg();
        grant(org, "DATA", 24, List.of("bob"));
        assertThat(api().get(SupportKeys.ALICE, "/operator/api/v1/orgs").body()).doesNotContain(org.slug());
        assertThat(openSession(SupportKeys.ALICE, org.slug()).status()).isEqualTo(404);
        assertThat(api().get(SupportKeys.BOB, "/operator/api/v1/orgs").body()).contains(org.slug());
        assertThat(openSession(SupportKeys.BOB, org.slug()).status()).isEqualTo(201);
        // naming an operator the deployment does not have is refused
        assertThat(api().post(org.admin(), "/api/v1/support-access", Map.of("scope", "DATA", "duration_hours", 1,
                "reason", "x", "operators", List.of("mallory"))).status()).isEqualTo(400);
    }

    @Test
    void durationsOfZeroNegativeOverSevenDaysOrAbsurdAreRefusedWithAClearMessage() {
        DemoOrg org = demoOrg();
        for (Object hours : List.of(0, -1, 169, 1_000_000_000_000L, "24", 1.5)) {
            Api.Response refused = api().post(org.admin(), "/api/v1/support-access",
                    Map.of("scope", "DATA", "duration_hours", hours, "reason", "x"));
            assertThat(refused.status()).as(hours + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.json().path("detail").asString()).as(String.valueOf(hours)).contains("duration_hours");
        }
        Api.Response noReason = api().post(org.admin(), "/api/v1/support-access", Map.of("scope", "DATA", "duration_hours", 1));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(api().get(org.admin(), "/api/v1/support-access").json()).isEmpty();
        // a member cannot grant access
        String ben = org.created().person("ben").key();
        assertThat(api().post(ben, "/api/v1/support-access", Map.of("scope", "DATA", "duration_hours", 1, "reason", "x"))
                .status()).isEqualTo(403);
    }

    @Test
    void everyOperatorRequestIsInTheOrgsAuditLogWithIdentityGrantAndReasonAndNowhereElse() throws InterruptedException {
        DemoOrg org = demoOrg();
        DemoOrg other = demoOrg();
        String grant = grant(org, "METADATA", 24, List.of());
        String token = session(SupportKeys.ALICE, org.slug());
        api().get(token, "/api/v1/users");
        api().get(token, "/api/v1/models");
        api().get(token, "/api/v1/api-keys"); // refused, and recorded too
        api().get(token, "/api/v1/no-such-thing"); // unroutable, and recorded too
        api().send(token, "DELETE", "/api/v1/me", null, null); // wrong method, and recorded too
        // recorded when each request ends, which can be just after its response reached us: wait a little
        JsonNode events = api().get(org.admin(), "/api/v1/audit-events?action=support.request").json().path("events");
        for (int i = 0; i < 100 && events.size() < 5; i++) {
            Thread.sleep(20);
            events = api().get(org.admin(), "/api/v1/audit-events?action=support.request").json().path("events");
        }
        assertThat(events).hasSize(5);
        assertThat(events.findValuesAsString("endpoint")).contains("/api/v1/no-such-thing");
        for (JsonNode e : events) {
            assertThat(e.path("actor").path("kind").asString()).isEqualTo("OPERATOR");
            assertThat(e.path("actor").path("id").asString()).isEqualTo("alice");
            assertThat(e.path("details").path("grant").asString()).isEqualTo(grant);
            assertThat(e.path("details").path("reason").asString()).isEqualTo("ticket 4711: dashboards are slow");
        }
        assertThat(events.findValuesAsString("outcome")).contains("SUCCESS", "DENIED");
        JsonNode detail = api().get(org.admin(), "/api/v1/support-access/" + grant).json();
        assertThat(detail.path("sessions")).hasSize(1);
        assertThat(detail.path("activity").findValuesAsString("action")).contains("support.session.open", "support.request");
        assertThat(api().get(org.admin(), "/api/v1/audit-events/verify").json().path("valid").asBoolean()).isTrue();
        assertThat(api().get(other.admin(), "/api/v1/audit-events/export").body()).doesNotContain("alice", grant);
        // another org's admin cannot see or revoke this grant
        assertThat(api().get(other.admin(), "/api/v1/support-access/" + grant).status()).isEqualTo(404);
        assertThat(api().delete(other.admin(), "/api/v1/support-access/" + grant).status()).isEqualTo(404);
    }
}
