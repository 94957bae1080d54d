package dev.warden.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.warden.server.access.Endpoints;
import dev.warden.server.access.OrgRole;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Tenant isolation, from the attacker's side: for every endpoint that takes an id, the resource
 * is created in org A, then read, changed and deleted by org B's admin. Each attempt must answer
 * 404 exactly as for a missing id, and org A's resource must be unchanged afterwards.
 *
 * <p>The endpoints come from the application's request mappings. An id-taking endpoint with no
 * fixture below fails the suite: whoever adds one must say here how to attack it.
 */
class TenantIsolationTest extends ApiTest {
    /** How to make a resource of an org and how to look at it as its owner. */
    private record Fixture(String create, Object body, String idField, String read) {}

    private static final Map<String, Fixture> FIXTURES = Map.of(
            "/api/v1/users/{id}", new Fixture("/api/v1/users",
                    Map.of("email", "victim@example.test", "display_name", "Victim"), "id", "/api/v1/users/{id}"),
            "/api/v1/groups/{id}", new Fixture("/api/v1/groups",
                    Map.of("name", "victims", "description", "org A's group"), "id", "/api/v1/groups/{id}"),
            "/api/v1/api-keys/{id}", new Fixture("/api/v1/api-keys",
                    Map.of("name", "org A key"), "key.id", "/api/v1/api-keys"));

    /** Bodies that would change the resource if the request got through. */
    private static final Map<String, Object> CHANGES = Map.of(
            "/api/v1/users/{id}", Map.of("display_name", "pwned", "org_role", "ORG_ADMIN", "disabled", true),
            "/api/v1/groups/{id}", Map.of("name", "pwned", "members", List.of()));

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @TestFactory
    Stream<DynamicTest> anotherOrgsIdsAnswerExactlyLikeMissingOnes() {
        List<Endpoints.Endpoint> idTaking = Endpoints.of(mapping).stream().filter(Endpoints.Endpoint::takesId).toList();
        assertThat(idTaking).isNotEmpty();
        return idTaking.stream().map(endpoint -> DynamicTest.dynamicTest(endpoint.key(), () -> attack(endpoint)));
    }

    private void attack(Endpoints.Endpoint endpoint) {
        Fixture fixture = FIXTURES.get(endpoint.pattern());
        if (fixture == null) {
            fail("no isolation fixture for " + endpoint.pattern() + ": add one to TenantIsolationTest.FIXTURES");
        }
        Fixtures.TestOrg a = fixtures.org();
        Fixtures.TestOrg b = fixtures.org();
        Api.Response created = api().post(a.admin().key(), fixture.create(), fixture.body());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = field(created, fixture.idField());
        String before = ownerView(a, fixture, id);

        String path = endpoint.pattern().replace("{id}", id);
        Object body = endpoint.method().equals("PATCH") || endpoint.method().equals("PUT") || endpoint.method().equals("POST")
                ? CHANGES.getOrDefault(endpoint.pattern(), Map.of()) : null;
        for (Fixtures.Person attacker : List.of(b.admin(), fixtures.person(b, OrgRole.MEMBER))) {
            Api.Response attack = api().send(attacker.key(), endpoint.method(), path, body,
                    body == null ? null : "application/json");
            // A member of B may be refused by role before the lookup (403); B's admin must see "not found".
            if (attacker.role() == OrgRole.ORG_ADMIN) {
                assertThat(attack.status()).as(attack.body()).isEqualTo(404);
                Api.Response missing = api().send(attacker.key(), endpoint.method(),
                        endpoint.pattern().replace("{id}", java.util.UUID.randomUUID().toString()), body,
                        body == null ? null : "application/json");
                assertThat(withoutVolatile(attack)).isEqualTo(withoutVolatile(missing));
            } else {
                assertThat(attack.status()).as(attack.body()).isIn(403, 404);
            }
        }
        assertThat(ownerView(a, fixture, id)).as("org A's resource is unchanged").isEqualTo(before);
    }

    @Test
    void listingsNeverShowAnotherOrgsResources() {
        Fixtures.TestOrg a = fixtures.org();
        Fixtures.TestOrg b = fixtures.org();
        api().post(a.admin().key(), "/api/v1/groups", Map.of("name", "only-in-a"));
        api().post(a.admin().key(), "/api/v1/users", Map.of("email", "only@a.test"));
        assertThat(api().get(b.admin().key(), "/api/v1/users").body()).doesNotContain("only@a.test", a.admin().email());
        assertThat(api().get(b.admin().key(), "/api/v1/groups").body()).doesNotContain("only-in-a");
        assertThat(api().get(b.admin().key(), "/api/v1/api-keys").json()).hasSize(1);
        assertThat(api().get(b.admin().key(), "/api/v1/audit-events/export").body())
                .doesNotContain(a.id().toString(), a.admin().email());
    }

    private String ownerView(Fixtures.TestOrg owner, Fixture fixture, String id) {
        Api.Response view = api().get(owner.admin().key(), fixture.read().replace("{id}", id));
        assertThat(view.status()).isEqualTo(200);
        if (fixture.read().contains("{id}")) {
            return view.body();
        }
        for (var item : view.json()) {
            if (item.path("id").asString().equals(id)) {
                return item.toString();
            }
        }
        return fail("resource " + id + " vanished from its owner's listing");
    }

    private static String field(Api.Response response, String path) {
        var node = response.json();
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return node.asString();
    }

    /** Two problem bodies compared without what differs per request (instance path, request id). */
    private static Map<String, Object> withoutVolatile(Api.Response r) {
        var json = r.json();
        return Map.of("status", r.status(), "type", json.path("type").asString(), "title", json.path("title").asString(),
                "detail", json.path("detail").asString());
    }
}
