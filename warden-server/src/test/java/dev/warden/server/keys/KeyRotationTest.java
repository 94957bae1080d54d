package dev.warden.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgId;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Rotation adds keys and moves stored credentials forward; nothing sealed before becomes unreadable. */
class KeyRotationTest extends ApiTest {
    @Autowired
    dev.warden.server.cli.Keys command;

    @Autowired
    OrgKeys keys;

    @Autowired
    JdbcClient jdbc;

    @Test
    void credentialsAndDataSealedBeforeARotationStayReadableAndCredentialsMoveToTheNewKey() throws Exception {
        Fixtures.TestOrg org = fixtures.org();
        Api.Response created = api().post(org.admin().key(), "/api/v1/connections", Map.of(
                "name", "pg", "type", "postgres", "host", "127.0.0.1", "port", 5432, "database", "postgres",
                "user", "postgres", "password", "rotation-test-password", "tls_mode", "disable"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(created.json().path("id").asString());
        byte[] before = sealed(id);
        byte[] data = keys.data(org.id()).seal("cached rows".getBytes(StandardCharsets.UTF_8), "cache:test");
        assertThat(keys.credentials(org.id()).isUnderPrimaryKey(before)).isTrue();
        int generation = generation(org.id());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = command.run(new String[] {"keys", "rotate"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        // Other tests of this JVM plant unreadable ciphertexts on purpose (CredentialSecrecyTest):
        // rotation reports them, leaves them alone and exits 1; this org's own secrets must move.
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isIn(0, 1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Rotated the keys of");

        assertThat(generation(org.id())).isEqualTo(generation + 1);
        byte[] after = sealed(id);
        assertThat(after).isNotEqualTo(before);
        assertThat(keys.credentials(org.id()).isUnderPrimaryKey(after)).isTrue();
        assertThat(keys.credentials(org.id()).isUnderPrimaryKey(before)).isFalse();
        // data sealed under the old primary still opens
        assertThat(new String(keys.openData(org.id(), data, "cache:test"), StandardCharsets.UTF_8)).isEqualTo("cached rows");
        // and the re-encrypted password still authenticates (PostgreSQL here trusts loopback, so
        // "ok" proves the secret opened and reached the driver)
        Api.Response test = api().post(org.admin().key(), "/api/v1/connections/" + id + "/test", null);
        assertThat(test.json().path("ok").asBoolean()).as(test.body()).isTrue();
        // the rotation is in each org's audit log
        assertThat(api().get(org.admin().key(), "/api/v1/audit-events?action=keys.rotate").json().path("events"))
                .hasSize(1);
    }

    private byte[] sealed(UUID connection) {
        return jdbc.sql("SELECT secret_sealed FROM connections WHERE id = ?").param(connection).query(byte[].class).single();
    }

    private int generation(OrgId org) {
        return jdbc.sql("SELECT generation FROM org_keysets WHERE org_id = ? AND purpose = 'CUSTOMER_CREDENTIALS'")
                .param(org.value()).query(Integer.class).single();
    }
}
