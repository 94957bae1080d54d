package dev.warden.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.connections.Connections;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import dev.warden.server.support.QueryFixtures;
import dev.warden.server.support.TestWarehouses;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A connection's password is write-only and sealed: a sentinel secret, set and then replaced,
 * never comes back in any response (reads, lists, changes, tests, the audit export, errors) nor
 * in any log line, and is not in the stored bytes. Its ciphertext is bound to its row: copied to
 * another connection of the same org or of another org, it does not open, and that connection
 * fails to connect for want of a secret instead of authenticating with someone else's.
 *
 * <p>The warehouse is PostgreSQL with trust authentication, which would accept any password: a
 * copied secret that opened would connect, so "no_secret" can only mean it did not open.
 */
@ExtendWith(OutputCaptureExtension.class)
class CredentialSecrecyTest extends ApiTest {
    @Autowired
    AttributeRepository attributes;
    @Autowired
    Connections connections;
    @Autowired
    JdbcClient jdbc;

    private final List<TestWarehouses.Warehouse> made = new ArrayList<>();

    @AfterEach
    void drop() {
        made.forEach(TestWarehouses::drop);
    }

    private static String sentinel() {
        return "S3NTINEL-" + UUID.randomUUID().toString().replace("-", "");
    }

    private Map<String, Object> pg(TestWarehouses.Warehouse w, String name, String password) {
        return new HashMap<>(Map.of("name", name, "type", "postgres", "host", "127.0.0.1", "port", TestWarehouses.PG_PORT,
                "database", w.database(), "user", w.user(), "password", password, "tls_mode", "disable"));
    }

    /** Every form in which a secret could leak: as is, URL-, JSON- or Base64-encoded, hex. */
    private static List<String> forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        return List.of(secret, Base64.getEncoder().encodeToString(bytes), HexFormat.of().formatHex(bytes),
                secret.substring("S3NTINEL-".length()));
    }

    private static void assertNoSecret(String where, String text, List<String> secrets) {
        for (String secret : secrets) {
            for (String form : forms(secret)) {
                assertThat(text).as(where + " must not contain the secret").doesNotContain(form);
            }
        }
    }

    private JsonNode connectionTest(Fixtures.TestOrg org, String id, List<String> secrets, List<String> seen) {
        Api.Response r = api().post(org.admin().key(), "/api/v1/connections/" + id + "/test", null);
        seen.add(r.body());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertNoSecret("test", r.body(), secrets);
        return r.json();
    }

    @Test
    void theSentinelNeverAppearsAndCopiedCiphertextsDoNotOpen(CapturedOutput output) {
        TestWarehouses.require("PostgreSQL", TestWarehouses.postgresAnswers());
        TestWarehouses.Warehouse w = TestWarehouses.postgres();
        made.add(w);
        QueryFixtures q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        Fixtures.TestOrg org = q.org("region");
        Fixtures.TestOrg other = q.org("region");
        String first = sentinel();
        String second = sentinel();
        List<String> secrets = List.of(first, second);
        List<String> seen = new ArrayList<>();
        String key = org.admin().key();

        Api.Response created = api().post(key, "/api/v1/connections", pg(w, "wh", first));
        seen.add(created.body());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").stringValue();
        assertThat(created.json().get("password").toString()).isEqualTo("{\"set\":true}");
        assertThat(connectionTest(org, id, secrets, seen).get("ok").booleanValue()).isTrue();

        Api.Response changed = api().patch(key, "/api/v1/connections/" + id, Map.of("password", second));
        seen.add(changed.body());
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(connectionTest(org, id, secrets, seen).get("ok").booleanValue()).isTrue();

        seen.add(api().get(key, "/api/v1/connections/" + id).body());
        seen.add(api().get(key, "/api/v1/connections").body());
        // Refused writes that carry a secret: invalid settings, an unknown property, malformed JSON, another org.
        seen.add(api().patch(key, "/api/v1/connections/" + id, Map.of("password", first, "port", 0)).body());
        seen.add(api().patch(key, "/api/v1/connections/" + id, Map.of("password", first, "pasword", first)).body());
        seen.add(api().send(key, "PATCH", "/api/v1/connections/" + id, "{\"password\": \"" + first + "\", ",
                "application/json").body());
        seen.add(api().patch(other.admin().key(), "/api/v1/connections/" + id, Map.of("password", first)).body());
        seen.add(api().post(key, "/api/v1/connections", pg(w, "wh", first)).body()); // name taken
        Map<String, Object> bad = pg(w, "bad_tls", first);
        bad.put("tls_ca_bundle", "not a certificate " + first);
        seen.add(api().post(key, "/api/v1/connections", bad).body());

        // A query whose warehouse refuses it: the problem says so without the secret.
        q.setAttributes(org, org.admin(), Map.of("region", List.of("all")));
        q.model(org, id, "shop", TestWarehouses.model("no_such_schema"));
        Api.Response failing = q.query(org.admin(), QueryFixtures.query("orders", List.of("orders.count")));
        seen.add(failing.body());
        assertThat(failing.status()).as(failing.body()).isEqualTo(502);

        Api.Response audit = api().get(key, "/api/v1/audit-events/export");
        assertThat(audit.status()).as(audit.body()).isEqualTo(200);
        assertThat(audit.body()).contains("connection.update");
        seen.add(audit.body());
        seen.add(api().get(key, "/api/v1/audit-events").body());

        for (String body : seen) {
            assertNoSecret("an HTTP response", body, secrets);
        }

        // At rest: only ciphertext.
        byte[] sealed = sealed(id);
        String asText = new String(sealed, StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
            assertThat(asText).doesNotContain(secret).doesNotContain(secret.substring(9));
        }

        // Copied to another connection of the same org, and to one of another org: it does not open.
        String sameOrg = q.connection(org, pg(w, "sibling", "sibling-password"));
        String otherOrg = q.connection(other, pg(w, "stranger", "stranger-password"));
        assertThat(connectionTest(org, sameOrg, secrets, seen).get("ok").booleanValue()).isTrue();
        assertThat(connectionTest(other, otherOrg, secrets, seen).get("ok").booleanValue()).isTrue();
        try {
            copySealed(sealed, sameOrg);
            copySealed(sealed, otherOrg);
            JsonNode sibling = connectionTest(org, sameOrg, secrets, seen);
            JsonNode stranger = connectionTest(other, otherOrg, secrets, seen);
            assertThat(sibling.get("ok").booleanValue()).isFalse();
            assertThat(sibling.get("failure").stringValue()).isEqualTo("no_secret");
            assertThat(stranger.get("ok").booleanValue()).isFalse();
            assertThat(stranger.get("failure").stringValue()).isEqualTo("no_secret");
        } finally {
            // Unreadable ciphertexts must not outlive this test: the shared metadata store is
            // expected to hold none (key rotation, for one, reports them).
            assertThat(api().delete(key, "/api/v1/connections/" + sameOrg).status()).isEqualTo(204);
            assertThat(api().delete(other.admin().key(), "/api/v1/connections/" + otherOrg).status()).isEqualTo(204);
        }
        // ... while the original still opens where it belongs.
        assertThat(connectionTest(org, id, secrets, seen).get("ok").booleanValue()).isTrue();

        // The capture sees the server's log (its access log names every request above) ...
        assertThat(output.getAll()).contains("/api/v1/connections/" + id + "/test");
        // ... and no line of it holds a secret.
        assertNoSecret("the log", output.getAll(), secrets);
    }

    private byte[] sealed(String connectionId) {
        return jdbc.sql("SELECT secret_sealed FROM connections WHERE id = ?")
                .param(UUID.fromString(connectionId))
                .query((rs, n) -> rs.getBytes(1))
                .single();
    }

    private void copySealed(byte[] sealed, String connectionId) {
        int updated = jdbc.sql("UPDATE connections SET secret_sealed = ? WHERE id = ?")
                .params(sealed, UUID.fromString(connectionId))
                .update();
        assertThat(updated).isEqualTo(1);
    }
}
