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
    /** A resource made in the victim org: the path variables that name it and how its owner reads it. */
    private record Made(Map<String, String> vars, String ownerRead) {}

    /** A tiny model whose topic exists only in the org that uploads it. */
    static final String MODEL_YAML = """
            connection: wh
            views:
              things:
                table: main.things
                primary_key: id
                dimensions:
                  id: { type: number }
                measures:
                  count: { type: count }
            topics:
              isolated_topic:
                base_view: things
            """;

    private final Map<String, java.util.function.Function<Fixtures.TestOrg, Made>> makers = Map.ofEntries(
            Map.entry("/api/v1/users/{id}", org -> made(user(org), "/api/v1/users/{id}")),
            Map.entry("/api/v1/groups/{id}", org -> made(group(org), "/api/v1/groups/{id}")),
            Map.entry("/api/v1/api-keys/{id}", org -> made(create(org, "/api/v1/api-keys", Map.of("name", "org A key"),
                    "key.id"), "/api/v1/api-keys")),
            Map.entry("/api/v1/connections/{id}", org -> made(connection(org), "/api/v1/connections/{id}")),
            Map.entry("/api/v1/connections/{id}/test", org -> made(connection(org), "/api/v1/connections/{id}")),
            Map.entry("/api/v1/connections/{id}/roles", org -> made(connection(org), "/api/v1/connections/{id}/roles")),
            Map.entry("/api/v1/connections/{id}/roles/users/{userId}", org -> new Made(
                    Map.of("id", connection(org), "userId", user(org)), "/api/v1/connections/{id}/roles")),
            Map.entry("/api/v1/connections/{id}/roles/groups/{groupId}", org -> new Made(
                    Map.of("id", connection(org), "groupId", group(org)), "/api/v1/connections/{id}/roles")),
            Map.entry("/api/v1/models/{id}", org -> made(model(org), "/api/v1/models/{id}")),
            Map.entry("/api/v1/models/{id}/versions", org -> made(model(org), "/api/v1/models/{id}")),
            Map.entry("/api/v1/models/{id}/versions/{version}/activate", org -> new Made(
                    Map.of("id", model(org), "version", "1"), "/api/v1/models/{id}")),
            Map.entry("/api/v1/topics/{topic}", org -> {
                model(org);
                return new Made(Map.of("topic", "isolated_topic"), "/api/v1/topics/{topic}");
            }),
            Map.entry("/api/v1/user-attributes/{name}", org -> new Made(Map.of("name", attribute(org)),
                    "/api/v1/user-attributes")),
            Map.entry("/api/v1/users/{id}/attributes", org -> made(user(org), "/api/v1/users/{id}/attributes")),
            Map.entry("/api/v1/users/{id}/attributes/{name}", org -> new Made(
                    Map.of("id", user(org), "name", attribute(org)), "/api/v1/users/{id}/attributes")),
            Map.entry("/api/v1/groups/{id}/attributes", org -> made(group(org), "/api/v1/groups/{id}/attributes")),
            Map.entry("/api/v1/support-access/{id}", org -> made(create(org, "/api/v1/support-access",
                    Map.of("scope", "DATA", "duration_hours", 24, "reason", "org A's support case"), "id"),
                    "/api/v1/support-access/{id}")),
            Map.entry("/api/v1/groups/{id}/attributes/{name}", org -> new Made(
                    Map.of("id", group(org), "name", attribute(org)), "/api/v1/groups/{id}/attributes")));

    /** Bodies that would change the resource if the request got through, with their content type. */
    private static final Map<String, Object> CHANGES = Map.of(
            "/api/v1/user-attributes/{name}", Map.of("description", "pwned"),
            "/api/v1/users/{id}/attributes/{name}", Map.of("values", List.of("pwned")),
            "/api/v1/groups/{id}/attributes/{name}", Map.of("values", List.of("pwned")),
            "/api/v1/connections/{id}/roles/users/{userId}", Map.of("role", "CONNECTION_ADMIN"),
            "/api/v1/connections/{id}/roles/groups/{groupId}", Map.of("role", "CONNECTION_ADMIN"),
            "/api/v1/users/{id}", Map.of("display_name", "pwned", "org_role", "ORG_ADMIN", "disabled", true),
            "/api/v1/groups/{id}", Map.of("name", "pwned", "members", List.of()),
            "/api/v1/connections/{id}", Map.of("name", "pwned", "base_role", "CONNECTION_ADMIN", "password", "x"),
            "/api/v1/models/{id}/versions", MODEL_YAML);

    private Made made(String id, String ownerRead) {
        return new Made(Map.of("id", id), ownerRead);
    }

    private String create(Fixtures.TestOrg org, String path, Object body, String idField) {
        Api.Response created = api().post(org.admin().key(), path, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return field(created, idField);
    }

    private String user(Fixtures.TestOrg org) {
        return create(org, "/api/v1/users", Map.of("email", "victim" + java.util.UUID.randomUUID().toString().substring(0, 6)
                + "@example.test", "display_name", "Victim"), "id");
    }

    private String group(Fixtures.TestOrg org) {
        return create(org, "/api/v1/groups", Map.of("name", "victims" + java.util.UUID.randomUUID().toString().substring(0, 6),
                "description", "org A's group"), "id");
    }

    /** An attribute defined in the org, with a value on a person and a group so that reads show something. */
    private String attribute(Fixtures.TestOrg org) {
        String name = "secret_" + java.util.UUID.randomUUID().toString().substring(0, 6).replace("-", "");
        create(org, "/api/v1/user-attributes", Map.of("name", name), "name");
        return name;
    }

    private String connection(Fixtures.TestOrg org) {
        return connection(org, "wh" + java.util.UUID.randomUUID().toString().substring(0, 6).replace("-", ""));
    }

    private String connection(Fixtures.TestOrg org, String name) {
        return create(org, "/api/v1/connections", Map.of("name", name, "type", "duckdb", "path", "isolation/none.duckdb",
                "base_role", "QUERIER"), "id");
    }

    private String model(Fixtures.TestOrg org) {
        String model = create(org, "/api/v1/models", Map.of("name", "m", "connection_id", connection(org, "wh")), "id");
        Api.Response version = api().send(org.admin().key(), "POST", "/api/v1/models/" + model + "/versions", MODEL_YAML,
                "application/yaml");
        assertThat(version.status()).as(version.body()).isEqualTo(201);
        Api.Response active = api().post(org.admin().key(), "/api/v1/models/" + model + "/versions/1/activate", null);
        assertThat(active.status()).as(active.body()).isEqualTo(200);
        return model;
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @TestFactory
    Stream<DynamicTest> anotherOrgsIdsAnswerExactlyLikeMissingOnes() {
        // The operator API is not org-scoped (operators belong to no org); SupportAccessTest attacks it.
        List<Endpoints.Endpoint> idTaking = Endpoints.of(mapping).stream().filter(Endpoints.Endpoint::takesId)
                .filter(e -> !e.pattern().startsWith("/operator/"))
                // public endpoints have no caller org to isolate from (SsoSettingsTest covers SAML metadata)
                .filter(e -> !e.handler().hasMethodAnnotation(dev.warden.server.access.PublicEndpoint.class)).toList();
        assertThat(idTaking).isNotEmpty();
        return idTaking.stream().map(endpoint -> DynamicTest.dynamicTest(endpoint.key(), () -> attack(endpoint)));
    }

    private void attack(Endpoints.Endpoint endpoint) {
        var fixture = makers.get(endpoint.pattern());
        if (fixture == null) {
            fail("no isolation fixture for " + endpoint.pattern() + ": add one to TenantIsolationTest.makers");
        }
        Fixtures.TestOrg a = fixtures.org();
        Fixtures.TestOrg b = fixtures.org();
        Made made = fixture.apply(a);
        String before = ownerView(a, fill(made.ownerRead(), made.vars()));

        boolean sendsBody = endpoint.method().equals("PATCH") || endpoint.method().equals("PUT") || endpoint.method().equals("POST");
        Object body = sendsBody ? CHANGES.getOrDefault(endpoint.pattern(), Map.of()) : null;
        String contentType = body == null ? null : body instanceof String ? "application/yaml" : "application/json";
        Map<String, String> unknown = new java.util.HashMap<>();
        made.vars().forEach((k, v) -> unknown.put(k, k.equals("version") ? v : k.equals("topic") ? "no_such_topic"
                : java.util.UUID.randomUUID().toString()));
        for (Fixtures.Person attacker : List.of(b.admin(), fixtures.person(b, OrgRole.MEMBER))) {
            Api.Response attack = api().send(attacker.key(), endpoint.method(), fill(endpoint.pattern(), made.vars()), body,
                    contentType);
            // A member of B may be refused by role before the lookup (403); B's admin must see "not found".
            if (attacker.role() == OrgRole.ORG_ADMIN) {
                assertThat(attack.status()).as(attack.body()).isEqualTo(404);
                Api.Response missing = api().send(attacker.key(), endpoint.method(), fill(endpoint.pattern(), unknown),
                        body, contentType);
                assertThat(withoutVolatile(attack)).isEqualTo(withoutVolatile(missing));
            } else {
                assertThat(attack.status()).as(attack.body()).isIn(403, 404);
            }
        }
        assertThat(ownerView(a, fill(made.ownerRead(), made.vars()))).as("org A's resource is unchanged").isEqualTo(before);
    }

    private static String fill(String pattern, Map<String, String> vars) {
        String path = pattern;
        for (var e : vars.entrySet()) {
            path = path.replace("{" + e.getKey() + "}", e.getValue());
        }
        return path;
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

    private String ownerView(Fixtures.TestOrg owner, String path) {
        Api.Response view = api().get(owner.admin().key(), path);
        assertThat(view.status()).as(view.body()).isEqualTo(200);
        return view.body().replaceAll("\"last_used_at\":\"[^\"]*\"", "");
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
