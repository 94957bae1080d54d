package dev.warden.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgId;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every bad input gets a clear 4xx problem detail ({@code type}, {@code title}, {@code status},
 * {@code detail}, {@code request_id}) that names the problem, changes nothing, and never shows a
 * Java class, a stack trace, SQL, or the hostile value the caller sent.
 */
class BadInputTest extends ApiTest {
    private static final String HOSTILE = "<script>x</script>'; DROP TABLE users; --";
    private static final String HOSTILE_URL = URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8).replace("+", "%20");
    /** Hostile, yet a path segment the firewall lets through to the application. */
    private static final String PATH_HOSTILE = "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E'%20OR%20'1'%3D'1";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ONE_MIB = 1024 * 1024;

    @Autowired
    JdbcClient jdbc;

    private Fixtures.TestOrg org;
    private String key;

    @BeforeEach
    void anOrg() {
        org = fixtures.org();
        key = org.admin().key();
    }

    // ---------------------------------------------------------------- bodies that are not JSON

    @Test
    void malformedJsonNamesLineAndColumn() {
        JsonNode problem = refused(400, "POST", "/api/v1/users", "{\n  \"email\": \"a@b.c\",\n  \"display_name\": }",
                "application/json");
        assertThat(problem.path("detail").asString()).contains("line 3").contains("column");
    }

    @Test
    void malformedJsonCarryingAHostileValueDoesNotEchoIt() {
        refused(400, "POST", "/api/v1/users", "{\"email\": \"" + HOSTILE + "\" \"x\"}", "application/json");
        refused(400, "POST", "/api/v1/users", "{\"email\": " + HOSTILE + "}", "application/json");
        refused(400, "POST", "/api/v1/users", HOSTILE, "application/json");
    }

    @Test
    void trailingContentAfterTheObjectIsRefused() {
        refused(400, "POST", "/api/v1/users", "{\"email\":\"trailing@b.c\"} {\"email\":\"second@b.c\"}",
                "application/json");
    }

    @Test
    void deeplyNestedJsonIsRefusedNotCrashedOn() {
        String deep = "{\"email\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        refused(400, "POST", "/api/v1/users", deep, "application/json");
    }

    @Test
    void emptyBodyIsRefused() {
        refused(400, "POST", "/api/v1/users", "", "application/json");
        refused(400, "POST", "/api/v1/groups", "", "application/json");
        refused(400, "PATCH", "/api/v1/users/" + org.admin().id(), "", "application/json");
    }

    @Test
    void jsonOfTheWrongShapeIsRefused() {
        for (String body : List.of("[]", "[{\"email\":\"arr@b.c\"}]", "\"just a string\"", "42", "true", "null")) {
            JsonNode problem = refused(400, "POST", "/api/v1/users", body, "application/json");
            assertThat(problem.path("detail").asString()).as(body).isNotBlank();
        }
    }

    // ---------------------------------------------------------------- unknown properties, wrong types

    @Test
    void unknownPropertyIsNamed() {
        JsonNode problem = refused(400, "POST", "/api/v1/users", "{\"email\":\"a@b.c\",\"bogus\":1}", "application/json");
        assertThat(problem.path("detail").asString()).contains("bogus");
        JsonNode group = refused(400, "POST", "/api/v1/groups", "{\"name\":\"g\",\"org_id\":\"" + OrgId.random() + "\"}",
                "application/json");
        assertThat(group.path("detail").asString()).contains("org_id");
    }

    @Test
    void aHostileUnknownPropertyNameIsNotEchoed() {
        String body = JSON.writeValueAsString(Map.of("email", "a@b.c", HOSTILE, 1));
        JsonNode problem = refused(400, "POST", "/api/v1/users", body, "application/json");
        assertThat(problem.path("detail").asString()).contains("unknown property");
    }

    @Test
    void wrongTypesAreRefusedAndNamed() {
        JsonNode number = refused(400, "POST", "/api/v1/users", "{\"email\":\"a@b.c\",\"org_role\":5}", "application/json");
        assertThat(number.path("detail").asString()).contains("org_role");

        JsonNode god = refused(400, "POST", "/api/v1/users", "{\"email\":\"a@b.c\",\"org_role\":\"GOD\"}", "application/json");
        assertThat(god.path("detail").asString()).contains("org_role").contains("MEMBER").contains("ORG_ADMIN")
                .doesNotContain("GOD");

        JsonNode hostileRole = refused(400, "POST", "/api/v1/users",
                JSON.writeValueAsString(Map.of("email", "a@b.c", "org_role", HOSTILE)), "application/json");
        assertThat(hostileRole.path("detail").asString()).contains("org_role");

        JsonNode members = refused(400, "POST", "/api/v1/groups", "{\"name\":\"g\",\"members\":\"x\"}", "application/json");
        assertThat(members.path("detail").asString()).contains("members");

        JsonNode notUuid = refused(400, "POST", "/api/v1/groups",
                JSON.writeValueAsString(Map.of("name", "g", "members", List.of(HOSTILE))), "application/json");
        assertThat(notUuid.path("detail").asString()).contains("members");

        JsonNode displayName = refused(400, "POST", "/api/v1/users", "{\"email\":\"a@b.c\",\"display_name\":[\"a\"]}",
                "application/json");
        assertThat(displayName.path("detail").asString()).contains("display_name");

        JsonNode disabled = refused(400, "PATCH", "/api/v1/users/" + org.admin().id(), "{\"disabled\":\"maybe\"}",
                "application/json");
        assertThat(disabled.path("detail").asString()).contains("disabled");
    }

    @Test
    void anEnumIsNotSilentlyReadFromItsIndex() {
        // 1 is the index of ORG_ADMIN: a number is the wrong type, never a way to become an admin.
        JsonNode problem = refused(400, "POST", "/api/v1/users", "{\"email\":\"index@b.c\",\"org_role\":1}",
                "application/json");
        assertThat(problem.path("detail").asString()).contains("org_role");
        refused(400, "PATCH", "/api/v1/users/" + org.admin().id(), "{\"org_role\":0}", "application/json");
    }

    @Test
    void invalidValuesAreRefusedWithoutEchoingThem() {
        refused(400, "POST", "/api/v1/users", JSON.writeValueAsString(Map.of("email", HOSTILE)), "application/json");
        refused(400, "POST", "/api/v1/groups", JSON.writeValueAsString(Map.of("name", " ")), "application/json");
        refused(400, "POST", "/api/v1/api-keys", JSON.writeValueAsString(Map.of("name", "k", "expires_at", HOSTILE)),
                "application/json");
    }

    // ---------------------------------------------------------------- sizes and content types

    @Test
    void anOversizedBodyWithALengthIs413() {
        String body = "{\"email\":\"" + "a".repeat(ONE_MIB + 100) + "@b.c\"}";
        refused(413, "POST", "/api/v1/users", body, "application/json");
    }

    @Test
    void anOversizedBodyWithoutALengthIsRefusedWithout5xx() throws Exception {
        State before = state();
        byte[] head = "{\"email\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "@b.c\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] middle = new byte[ONE_MIB + ONE_MIB / 2];
        Arrays.fill(middle, (byte) 'a');
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/users"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                        new SequenceInputStream(new ByteArrayInputStream(head), new ByteArrayInputStream(middle)),
                        new ByteArrayInputStream(tail))))
                .build();
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        assertThat(request.bodyPublisher().orElseThrow().contentLength()).as("sent without a length").isNegative();
        assertThat(response.statusCode()).isIn(400, 413);
        Api.Response wrapped = new Api.Response(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body(), response.headers());
        assertProblem(wrapped, response.statusCode());
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aBodyJustUnderTheLimitIsReadNormally() {
        // The limit refuses what is over it, not what is near it: this one fails only on its content.
        String body = "{\"email\":\"" + "a".repeat(ONE_MIB - 100) + "@b.c\"}";
        JsonNode problem = refused(400, "POST", "/api/v1/users", body, "application/json");
        assertThat(problem.path("type").asString()).isEqualTo("urn:warden:problem:invalid-request");
    }

    @Test
    void wrongContentTypeIs415() {
        refused(415, "POST", "/api/v1/users", "{\"email\":\"a@b.c\"}", "text/plain");
        refused(415, "POST", "/api/v1/groups", "name=g", "application/x-www-form-urlencoded");
        refused(415, "PATCH", "/api/v1/users/" + org.admin().id(), "{\"disabled\":true}", "application/xml");
        refused(415, "POST", "/api/v1/users", "{\"email\":\"a@b.c\"}", null);
    }

    // ---------------------------------------------------------------- paths, methods, query parameters

    @Test
    void anUnparseableIdInThePathIsNotFound() {
        for (String method : List.of("GET", "PATCH", "DELETE")) {
            String body = method.equals("PATCH") ? "{\"disabled\":true}" : null;
            String type = body == null ? null : "application/json";
            refused(404, method, "/api/v1/users/not-a-uuid", body, type);
            refused(404, method, "/api/v1/groups/123", body, type);
            refused(404, method, "/api/v1/users/" + PATH_HOSTILE, body, type);
        }
        refused(404, "DELETE", "/api/v1/api-keys/not-a-uuid", null, null);
    }

    @Test
    void anUnknownRouteIsNotFound() {
        refused(404, "GET", "/api/v1/nothing-here", null, null);
        refused(404, "GET", "/api/v1/users/" + org.admin().id() + "/nothing", null, null);
        refused(404, "POST", "/api/v1/" + PATH_HOSTILE, "{}", "application/json");
    }

    @Test
    void aPathTheFirewallRefusesGetsAProblemToo() {
        // Semicolons, encoded percent signs and empty segments are refused before any controller.
        refused(400, "GET", "/api/v1/users/a;b", null, null);
        refused(400, "GET", "/api/v1/users/" + HOSTILE_URL.replace("%2F", ""), null, null);
        refused(400, "GET", "/api/v1/users//x", null, null);
        refused(400, "GET", "/api/v1/users/%25", null, null);
        refused(400, "PATCH", "/api/v1/users/x;jsessionid=1", "{\"disabled\":true}", "application/json");
    }

    @Test
    void anEncodedSlashInThePathGetsAProblemToo() {
        refused(400, "GET", "/api/v1/users/" + HOSTILE_URL, null, null);
        refused(400, "DELETE", "/api/v1/users/a%2Fb", null, null);
    }

    @Test
    void aWrongMethodIs405() {
        refused(405, "PUT", "/api/v1/users", "{\"email\":\"a@b.c\"}", "application/json");
        refused(405, "DELETE", "/api/v1/users", null, null);
        refused(405, "POST", "/api/v1/me", "{}", "application/json");
        refused(405, "PUT", "/api/v1/groups/" + java.util.UUID.randomUUID(), "{}", "application/json");
    }

    @Test
    void badQueryParametersAre400() {
        for (String query : List.of("limit=" + HOSTILE_URL, "from=" + HOSTILE_URL, "to=" + HOSTILE_URL,
                "cursor=" + HOSTILE_URL, "limit=1.5", "from=2026-02-30T00:00:00Z")) {
            refused(400, "GET", "/api/v1/audit-events?" + query, null, null);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Sends one bad request and checks it is refused with a clean problem and changes nothing. */
    private JsonNode refused(int status, String method, String path, String body, String contentType) {
        State before = state();
        Api.Response response = api().send(key, method, path, body, contentType);
        assertProblem(response, status);
        assertThat(state()).as(method + " " + path + " changed something").isEqualTo(before);
        return response.json();
    }

    private static void assertProblem(Api.Response response, int status) {
        String what = response.status() + " " + response.body();
        assertThat(response.status()).as(what).isEqualTo(status);
        assertThat(response.contentType()).as(what).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("type").asString()).as(what).startsWith("urn:warden:problem:");
        assertThat(problem.path("title").asString()).as(what).isNotBlank();
        assertThat(problem.path("status").asInt()).as(what).isEqualTo(status);
        assertThat(problem.path("detail").asString()).as(what).isNotBlank();
        assertThat(problem.path("request_id").asString()).as(what)
                .isNotBlank()
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElse("missing"));
        assertThat(response.body()).as(what)
                .doesNotContain("java.")
                .doesNotContain("tools.jackson")
                .doesNotContain("com.fasterxml")
                .doesNotContain("org.springframework")
                .doesNotContain("org.h2")
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("SELECT")
                .doesNotContain("INSERT")
                .doesNotContain(HOSTILE)
                .doesNotContain("<script>")
                .doesNotContain("DROP TABLE")
                .doesNotContain("<img")
                .doesNotContain(java.net.URLDecoder.decode(PATH_HOSTILE, StandardCharsets.UTF_8));
    }

    /** What a bad request must not change: people, groups, keys and the audit chain, of every org. */
    private record State(long users, long groups, long members, long keys, long auditEvents) {}

    private State state() {
        return new State(count("users"), count("user_groups"), count("group_members"), count("api_keys"),
                count("audit_events"));
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }
}
