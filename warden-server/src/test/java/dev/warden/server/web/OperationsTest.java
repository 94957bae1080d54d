package dev.warden.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgRole;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * What operators and clients see around the API itself: a public health check that tells nothing
 * but up or down, metrics for this host only, the OpenAPI description, a request id on every
 * response, security headers, and logs that never hold an API key's secret.
 */
class OperationsTest extends ApiTest {

    // ---------------------------------------------------------------- health, metrics, OpenAPI

    @Test
    void healthIsPublicAndShowsOnlyStatusAndGroups() {
        Api.Response health = api().get(null, "/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        JsonNode body = health.json();
        assertThat(body.path("status").asString()).isEqualTo("UP");
        assertThat(names(body)).isSubsetOf("status", "groups");
        assertThat(health.body()).doesNotContain("components").doesNotContain("details")
                .doesNotContain("db").doesNotContain("diskSpace").doesNotContain("jdbc:");

        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            Api.Response response = api().get(null, probe);
            assertThat(response.status()).as(probe).isEqualTo(200);
            assertThat(response.json().path("status").asString()).as(probe).isEqualTo("UP");
            assertThat(names(response.json())).as(probe).isSubsetOf("status", "groups");
        }
    }

    @Test
    void prometheusAnswersOnLoopbackAndNamesNoTenantData() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person member = fixtures.person(org, OrgRole.MEMBER);
        assertThat(api().get(org.admin().key(), "/api/v1/users/" + member.id()).status()).isEqualTo(200);

        Api.Response metrics = api().get(null, "/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body()).contains("# HELP").contains("jvm_");
        assertThat(metrics.body()).doesNotContain(member.id().toString()).doesNotContain(org.id().toString())
                .doesNotContain(member.email()).doesNotContain(org.slug());
    }

    @Test
    void otherActuatorEndpointsAreNotServed() {
        for (String path : List.of("/actuator", "/actuator/env", "/actuator/beans", "/actuator/configprops",
                "/actuator/heapdump", "/actuator/loggers", "/actuator/mappings")) {
            Api.Response response = api().get(null, path);
            assertThat(response.status()).as(path).isIn(401, 403, 404);
            assertThat(response.body()).as(path).doesNotContain("spring.datasource").doesNotContain("jdbc:");
        }
    }

    @Test
    void theOpenApiDescriptionIsServed() {
        Api.Response openapi = api().get(null, "/api/v1/openapi.json");
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.contentType()).startsWith("application/json");
        JsonNode body = openapi.json();
        assertThat(body.path("openapi").asString()).startsWith("3.");
        assertThat(names(body.path("paths"))).contains("/api/v1/users", "/api/v1/users/{id}", "/api/v1/me",
                "/api/v1/groups", "/api/v1/api-keys", "/api/v1/audit-events");
        assertThat(body.path("paths").path("/api/v1/users").has("post")).isTrue();
    }

    // ---------------------------------------------------------------- request ids

    @Test
    void everyResponseCarriesARequestIdAndAProblemRepeatsIt() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person member = fixtures.person(org, OrgRole.MEMBER);
        String key = org.admin().key();

        List<Api.Response> responses = List.of(
                api().get(null, "/actuator/health"),
                api().get(null, "/actuator/prometheus"),
                api().get(null, "/api/v1/openapi.json"),
                api().get(key, "/api/v1/me"),
                api().post(key, "/api/v1/users", Map.of("email", "rid@example.com")),
                api().get(null, "/api/v1/me"),
                api().get(key + "x", "/api/v1/me"),
                api().get(member.key(), "/api/v1/users"),
                api().get(key, "/api/v1/users/" + java.util.UUID.randomUUID()),
                api().get(key, "/api/v1/nothing-here"),
                api().send(key, "PUT", "/api/v1/users", "{}", "application/json"),
                api().send(key, "POST", "/api/v1/users", "{\"email\":", "application/json"),
                api().send(key, "POST", "/api/v1/users", "{}", "text/plain"),
                api().send(key, "POST", "/api/v1/users", "x".repeat(1024 * 1024 + 1), "application/json"),
                api().get(null, "/not-an-api"));

        Set<String> ids = new HashSet<>();
        for (Api.Response response : responses) {
            String what = response.status() + " " + response.body();
            String id = response.headers().firstValue("X-Request-Id").orElse(null);
            assertThat(id).as(what).isNotBlank().matches("[0-9a-f]{24}");
            ids.add(id);
            if (response.contentType().startsWith("application/problem+json")) {
                assertThat(response.json().path("request_id").asString()).as(what).isEqualTo(id);
            }
        }
        assertThat(ids).as("each request has its own id").hasSize(responses.size());
        assertThat(responses.stream().filter(r -> r.status() >= 400))
                .allSatisfy(r -> assertThat(r.contentType()).as(r.status() + " " + r.body())
                        .startsWith("application/problem+json"));
    }

    @Test
    void aRequestIdIsNeverTakenFromTheClient() {
        Api.Response response = sendWithHeader("/api/v1/me", "X-Request-Id", "chosen-by-the-client");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent().get().isNotEqualTo("chosen-by-the-client");
        assertThat(response.body()).doesNotContain("chosen-by-the-client");
    }

    // ---------------------------------------------------------------- security headers

    @Test
    void apiResponsesCarrySecurityHeaders() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person member = fixtures.person(org, OrgRole.MEMBER);
        String key = org.admin().key();
        List<Api.Response> responses = List.of(
                api().get(key, "/api/v1/me"),
                api().post(key, "/api/v1/users", Map.of("email", "hdr@example.com")),
                api().get(key, "/api/v1/audit-events/export"),
                api().get(null, "/api/v1/me"),
                api().get(member.key(), "/api/v1/audit-events"),
                api().get(key, "/api/v1/users/" + java.util.UUID.randomUUID()),
                api().send(key, "POST", "/api/v1/users", "{\"email\":", "application/json"),
                api().send(key, "POST", "/api/v1/users", "x".repeat(1024 * 1024 + 1), "application/json"));
        for (Api.Response response : responses) {
            String what = response.status() + " " + response.headers().map();
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
            assertThat(response.headers().firstValue("Cache-Control")).as(what).isPresent().get().asString()
                    .contains("no-store");
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(what).isPresent().get()
                    .asString().contains("frame-ancestors 'none'");
        }
    }

    // ---------------------------------------------------------------- logs

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anApiKeySecretNeverReachesTheLog(CapturedOutput output) {
        Fixtures.TestOrg org = fixtures.org();
        String valid = org.admin().key();
        Api.Response created = api().post(valid, "/api/v1/api-keys", Map.of("name", "to be revoked"));
        assertThat(created.status()).isEqualTo(201);
        String revoked = created.json().path("secret").asString();
        assertThat(api().delete(valid, "/api/v1/api-keys/" + created.json().path("key").path("id").asString()).status())
                .isEqualTo(204);
        char last = valid.charAt(valid.length() - 1);
        String wrong = valid.substring(0, valid.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(api().get(valid, "/api/v1/me").status()).isEqualTo(200);
        assertThat(api().get(wrong, "/api/v1/me").status()).isEqualTo(401);
        assertThat(api().get(revoked, "/api/v1/me").status()).isEqualTo(401);
        // Keys in places they do not belong: a query string, a body the server cannot read.
        assertThat(api().get(valid, "/api/v1/me?key=" + valid).status()).isEqualTo(200);
        assertThat(api().send(valid, "POST", "/api/v1/users", "{\"email\": \"" + valid + "\" oops", "application/json")
                .status()).isEqualTo(400);
        assertThat(api().send(valid, "POST", "/api/v1/users", "{\"" + valid + "\": 1}", "application/json").status())
                .isEqualTo(400);

        String log = output.getAll();
        assertThat(log).as("the capture holds the access log").contains("/api/v1/me");
        assertThat(log).as("the capture holds the refusals").contains("API key refused");
        for (String key : List.of(valid, wrong, revoked)) {
            String secret = key.substring("wdn_".length() + 24 + 1); // wdn_<lookup>_<secret>
            assertThat(secret).hasSize(43);
            assertThat(log).doesNotContain(key).doesNotContain(secret).doesNotContain(secret.substring(0, 20));
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void eachRequestWritesOneAccessLogLineWithItsRequestId(CapturedOutput output) {
        Fixtures.TestOrg org = fixtures.org();
        Api.Response ok = api().get(org.admin().key(), "/api/v1/me");
        Api.Response refused = api().get(null, "/api/v1/me");
        for (Api.Response response : List.of(ok, refused)) {
            String id = response.headers().firstValue("X-Request-Id").orElseThrow();
            List<String> lines = new ArrayList<>();
            // The line is written when the filter chain unwinds, which can be just after the
            // client has the response: wait for it a little rather than race it.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (lines.stream().noneMatch(l -> l.contains(id)) && System.nanoTime() < deadline) {
                lines.clear();
                for (String line : output.getAll().split("\n")) {
                    if (line.contains("GET /api/v1/me " + response.status())) {
                        lines.add(line);
                    }
                }
                if (lines.stream().noneMatch(l -> l.contains(id))) {
                    Thread.onSpinWait();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            assertThat(lines).as("access log lines for " + response.status()).isNotEmpty();
            assertThat(lines.stream().filter(l -> l.contains(id)))
                    .as("one access log line names request " + id + " in " + lines).hasSize(1);
        }
    }

    // ---------------------------------------------------------------- helpers

    private Api.Response sendWithHeader(String path, String header, String value) {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + fixtures.org().admin().key())
                .header(header, value)
                .GET().build();
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
