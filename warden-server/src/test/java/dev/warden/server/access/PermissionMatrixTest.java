package dev.warden.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The permission matrix, as a matrix: every org role against every endpoint, over HTTP. The
 * expected table is written out here (and in docs/PERMISSIONS.md), not derived from the code
 * under test; an endpoint missing from it fails the suite.
 */
class PermissionMatrixTest extends ApiTest {
    private static final Set<OrgRole> EVERYONE = EnumSet.allOf(OrgRole.class);
    private static final Set<OrgRole> ADMINS = EnumSet.of(OrgRole.ORG_ADMIN);
    private static final Set<OrgRole> NOBODY = EnumSet.noneOf(OrgRole.class);

    private static final Map<String, Set<OrgRole>> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /api/v1/me", EVERYONE),
            Map.entry("GET /api/v1/api-keys", EVERYONE),
            Map.entry("POST /api/v1/api-keys", EVERYONE),
            Map.entry("DELETE /api/v1/api-keys/{id}", EVERYONE),
            Map.entry("GET /api/v1/users", ADMINS),
            Map.entry("POST /api/v1/users", ADMINS),
            Map.entry("GET /api/v1/users/{id}", ADMINS),
            Map.entry("PATCH /api/v1/users/{id}", ADMINS),
            Map.entry("DELETE /api/v1/users/{id}", ADMINS),
            Map.entry("GET /api/v1/groups", ADMINS),
            Map.entry("POST /api/v1/groups", ADMINS),
            Map.entry("GET /api/v1/groups/{id}", ADMINS),
            Map.entry("PATCH /api/v1/groups/{id}", ADMINS),
            Map.entry("DELETE /api/v1/groups/{id}", ADMINS),
            Map.entry("GET /api/v1/audit-events", ADMINS),
            Map.entry("GET /api/v1/audit-events/verify", ADMINS),
            Map.entry("GET /api/v1/audit-events/export", ADMINS),
            // Connection-scoped endpoints are open to every person at this level; the role on the
            // connection decides inside (ConnectionRoleMatrixTest covers that ladder).
            Map.entry("GET /api/v1/connections", EVERYONE),
            Map.entry("POST /api/v1/connections", ADMINS),
            Map.entry("GET /api/v1/connections/{id}", EVERYONE),
            Map.entry("PATCH /api/v1/connections/{id}", EVERYONE),
            Map.entry("DELETE /api/v1/connections/{id}", EVERYONE),
            Map.entry("POST /api/v1/connections/{id}/test", EVERYONE),
            Map.entry("GET /api/v1/models", EVERYONE),
            Map.entry("POST /api/v1/models", EVERYONE),
            Map.entry("GET /api/v1/models/{id}", EVERYONE),
            Map.entry("POST /api/v1/models/{id}/versions", EVERYONE),
            Map.entry("POST /api/v1/models/{id}/versions/{version}/activate", EVERYONE),
            Map.entry("POST /api/v1/models/validate", EVERYONE),
            Map.entry("POST /api/v1/query", EVERYONE),
            Map.entry("POST /api/v1/query/sql", EVERYONE),
            Map.entry("GET /api/v1/topics", EVERYONE),
            Map.entry("GET /api/v1/topics/{topic}", EVERYONE),
            Map.entry("POST /api/v1/query/explain", EVERYONE),
            Map.entry("GET /api/v1/connections/{id}/roles", EVERYONE),
            Map.entry("PUT /api/v1/connections/{id}/roles/users/{userId}", EVERYONE),
            Map.entry("DELETE /api/v1/connections/{id}/roles/users/{userId}", EVERYONE),
            Map.entry("PUT /api/v1/connections/{id}/roles/groups/{groupId}", EVERYONE),
            Map.entry("DELETE /api/v1/connections/{id}/roles/groups/{groupId}", EVERYONE),
            Map.entry("GET /api/v1/user-attributes", ADMINS),
            Map.entry("POST /api/v1/user-attributes", ADMINS),
            Map.entry("PATCH /api/v1/user-attributes/{name}", ADMINS),
            Map.entry("DELETE /api/v1/user-attributes/{name}", ADMINS),
            Map.entry("GET /api/v1/users/{id}/attributes", ADMINS),
            Map.entry("PUT /api/v1/users/{id}/attributes/{name}", ADMINS),
            Map.entry("DELETE /api/v1/users/{id}/attributes/{name}", ADMINS),
            Map.entry("GET /api/v1/groups/{id}/attributes", ADMINS),
            Map.entry("PUT /api/v1/groups/{id}/attributes/{name}", ADMINS),
            Map.entry("DELETE /api/v1/groups/{id}/attributes/{name}", ADMINS),
            Map.entry("GET /api/v1/support-access", ADMINS),
            Map.entry("POST /api/v1/support-access", ADMINS),
            Map.entry("GET /api/v1/support-access/{id}", ADMINS),
            Map.entry("DELETE /api/v1/support-access/{id}", ADMINS),
            // the operators' API: nobody of an org opens it, whatever their role (SupportAccessTest covers operators)
            Map.entry("GET /api/v1/sso/oidc", ADMINS),
            Map.entry("PUT /api/v1/sso/oidc", ADMINS),
            Map.entry("GET /api/v1/sso/saml", ADMINS),
            Map.entry("PUT /api/v1/sso/saml", ADMINS),
            Map.entry("GET /saml/{org}/metadata", EVERYONE),
            // sign-in: public pages and protocol endpoints; each checks what it needs itself
            Map.entry("GET /", EVERYONE),
            Map.entry("GET /signin", EVERYONE),
            Map.entry("GET /oidc/{org}/callback", EVERYONE),
            Map.entry("POST /saml/{org}/acs", EVERYONE),
            Map.entry("POST /signout", EVERYONE),
            Map.entry("GET /operator/signin", EVERYONE),
            Map.entry("GET /operator/oidc/callback", EVERYONE),
            Map.entry("POST /operator/signout", EVERYONE),
            Map.entry("GET /operator/api/v1/orgs", NOBODY),
            Map.entry("POST /operator/api/v1/orgs/{org}/sessions", NOBODY)));

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Test
    void theTableCoversExactlyTheApplicationsEndpoints() {
        List<String> actual = Endpoints.of(mapping).stream().map(Endpoints.Endpoint::key).toList();
        assertThat(actual).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }

    @TestFactory
    Stream<DynamicTest> everyRoleAgainstEveryEndpoint() {
        Fixtures.TestOrg org = fixtures.org();
        Map<OrgRole, String> keys = Map.of(
                OrgRole.ORG_ADMIN, org.admin().key(),
                OrgRole.MEMBER, fixtures.person(org, OrgRole.MEMBER).key());
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Set<OrgRole>> row : EXPECTED.entrySet()) {
            for (OrgRole role : OrgRole.values()) {
                boolean allowed = row.getValue().contains(role);
                tests.add(DynamicTest.dynamicTest(role + " " + (allowed ? "may " : "may not ") + row.getKey(), () -> {
                    String[] parts = row.getKey().split(" ", 2);
                    // A random id and an empty body: enough to pass or fail authorization, never to change anything.
                    String path = parts[1].replace("{id}", UUID.randomUUID().toString()).replace("{version}", "1")
                            .replace("{topic}", "no_such_topic").replace("{name}", "no_such_attribute")
                            .replace("{userId}", UUID.randomUUID().toString()).replace("{groupId}", UUID.randomUUID().toString())
                            .replace("{org}", "no-such-org");
                    String body = parts[0].equals("POST") || parts[0].equals("PATCH") || parts[0].equals("PUT") ? "{}" : null;
                    Api.Response response = api().send(keys.get(role), parts[0], path, body,
                            body == null ? null : "application/json");
                    if (allowed) {
                        assertThat(response.status()).as(response.body()).isNotIn(401, 403);
                    } else {
                        assertThat(response.status()).as(response.body()).isEqualTo(403);
                        assertThat(response.json().path("type").asString()).isEqualTo("urn:warden:problem:forbidden");
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void operatorsHoldOnlyWhatTheirGrantsScopeAllowsAndNeverKeysSsoGrantsOrTheAuditLog() {
        assertThat(PermissionMatrix.permissionsOf(SupportScope.METADATA)).containsExactlyInAnyOrder(Permission.SELF_READ,
                Permission.USERS_READ, Permission.GROUPS_READ, Permission.ATTRIBUTES_READ, Permission.CONNECTIONS);
        assertThat(PermissionMatrix.permissionsOf(SupportScope.DATA)).containsExactlyInAnyOrder(Permission.SELF_READ,
                Permission.USERS_READ, Permission.GROUPS_READ, Permission.ATTRIBUTES_READ, Permission.CONNECTIONS,
                Permission.QUERY);
    }

    @Test
    void theMatrixInCodeGivesMembersOnlyTheirOwnThings() {
        assertThat(PermissionMatrix.permissionsOf(OrgRole.MEMBER))
                .containsExactlyInAnyOrder(Permission.SELF_READ, Permission.OWN_API_KEYS, Permission.CONNECTIONS,
                        Permission.QUERY);
        assertThat(PermissionMatrix.permissionsOf(OrgRole.ORG_ADMIN)).containsAll(EnumSet.allOf(Permission.class));
    }

    @Test
    void actorsThatAreNotPeopleHoldNothingYet() {
        for (ActorKind kind : EnumSet.of(ActorKind.SCIM, ActorKind.EMBED)) {
            AccessContext context = new AccessContext(OrgId.random(), java.util.Optional.empty(), "x",
                    OrgRole.ORG_ADMIN, Map.of(), kind, java.util.Optional.empty(), "r");
            for (Permission p : Permission.values()) {
                assertThat(PermissionMatrix.decide(context, p).granted()).as(kind + " " + p).isFalse();
            }
        }
    }
}
