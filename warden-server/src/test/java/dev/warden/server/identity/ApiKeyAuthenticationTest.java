package dev.warden.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgRole;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Attacks on API-key authentication: each must end in the same 401, and nothing else. */
class ApiKeyAuthenticationTest extends ApiTest {
    @Autowired
    JdbcClient jdbc;

    @Test
    void aValidKeyActsAsItsOwner() {
        Fixtures.TestOrg org = fixtures.org();
        Api.Response me = api().get(org.admin().key(), "/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("org").path("slug").asString()).isEqualTo(org.slug());
        assertThat(me.json().path("org_role").asString()).isEqualTo("ORG_ADMIN");
        assertThat(me.json().path("actor_kind").asString()).isEqualTo("API_KEY");
        assertThat(me.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void noKeyIsRefused() {
        assertRefused(api().get(null, "/api/v1/me"));
    }

    @Test
    void aWrongSecretIsRefusedAndAudited() {
        Fixtures.TestOrg org = fixtures.org();
        String key = org.admin().key();
        char last = key.charAt(key.length() - 1);
        String wrong = key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertRefused(api().get(wrong, "/api/v1/me"));
        Api.Response audit = api().get(org.admin().key(), "/api/v1/audit-events?action=api_key.refused");
        assertThat(audit.json().path("events").get(0).path("details").path("reason").asString()).isEqualTo("WRONG_SECRET");
    }

    @Test
    void refusalsOfOneKeyAreAuditedAtMostOnceAMinuteSoNobodyCanFloodTheLog() {
        Fixtures.TestOrg org = fixtures.org();
        String key = org.admin().key();
        String wrong = key.substring(0, key.length() - 2) + (key.endsWith("AA") ? "BB" : "AA");
        for (int i = 0; i < 5; i++) {
            assertRefused(api().get(wrong, "/api/v1/me"));
        }
        Api.Response audit = api().get(org.admin().key(), "/api/v1/audit-events?action=api_key.refused");
        assertThat(audit.json().path("events")).hasSize(1);
    }

    @Test
    void anUnknownKeyIdIsRefused() {
        String key = fixtures.org().admin().key();
        String otherLookup = "wdn_" + "0".repeat(24) + key.substring(28);
        assertRefused(api().get(otherLookup, "/api/v1/me"));
    }

    @Test
    void aTruncatedOrMangledKeyIsRefused() {
        String key = fixtures.org().admin().key();
        assertRefused(api().get(key.substring(0, key.length() - 1), "/api/v1/me"));
        assertRefused(api().get(key.substring(0, 30), "/api/v1/me"));
        assertRefused(api().get(key + "x", "/api/v1/me"));
        assertRefused(api().get(key.toUpperCase(), "/api/v1/me"));
        assertRefused(api().get("wdn_", "/api/v1/me"));
        assertRefused(api().get("' OR 1=1 --", "/api/v1/me"));
    }

    @Test
    void aRevokedKeyIsRefusedOnTheVeryNextRequest() {
        Fixtures.TestOrg org = fixtures.org();
        Api.Response created = api().post(org.admin().key(), "/api/v1/api-keys", Map.of("name", "ci"));
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asString();
        assertThat(api().get(secret, "/api/v1/me").status()).isEqualTo(200);

        Api.Response revoked = api().delete(org.admin().key(), "/api/v1/api-keys/" + created.json().path("key").path("id").asString());
        assertThat(revoked.status()).isEqualTo(204);
        assertRefused(api().get(secret, "/api/v1/me"));
    }

    @Test
    void anExpiredKeyIsRefused() {
        Fixtures.TestOrg org = fixtures.org();
        Api.Response created = api().post(org.admin().key(), "/api/v1/api-keys",
                Map.of("name", "short", "expires_at", Instant.now().plusSeconds(3600).toString()));
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asString();
        assertThat(api().get(secret, "/api/v1/me").status()).isEqualTo(200);

        jdbc.sql("UPDATE api_keys SET expires_at = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1),
                        java.util.UUID.fromString(created.json().path("key").path("id").asString()))
                .update();
        assertRefused(api().get(secret, "/api/v1/me"));
    }

    @Test
    void aKeyOfADisabledPersonIsRefused() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person member = fixtures.person(org, OrgRole.MEMBER);
        assertThat(api().get(member.key(), "/api/v1/me").status()).isEqualTo(200);
        assertThat(api().patch(org.admin().key(), "/api/v1/users/" + member.id(), Map.of("disabled", true)).status())
                .isEqualTo(200);
        assertRefused(api().get(member.key(), "/api/v1/me"));
    }

    @Test
    void theSecretIsShownOnceAndNeverListed() {
        Fixtures.TestOrg org = fixtures.org();
        Api.Response created = api().post(org.admin().key(), "/api/v1/api-keys", Map.of("name", "once"));
        String secret = created.json().path("secret").asString();
        assertThat(secret).startsWith("wdn_").hasSize(4 + 24 + 1 + 43);
        Api.Response list = api().get(org.admin().key(), "/api/v1/api-keys");
        assertThat(list.body()).doesNotContain(secret.substring(29));
        Api.Response audit = api().get(org.admin().key(), "/api/v1/audit-events/export");
        assertThat(audit.body()).doesNotContain(secret.substring(29));
    }

    @Test
    void aMemberCannotRevokeSomeoneElsesKey() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person member = fixtures.person(org, OrgRole.MEMBER);
        Api.Response adminKeys = api().get(org.admin().key(), "/api/v1/api-keys");
        String adminKeyId = adminKeys.json().get(0).path("id").asString();
        assertThat(api().delete(member.key(), "/api/v1/api-keys/" + adminKeyId).status()).isEqualTo(404);
        assertThat(api().get(org.admin().key(), "/api/v1/me").status()).isEqualTo(200);
        // and a member sees only their own keys
        assertThat(api().get(member.key(), "/api/v1/api-keys").json()).hasSize(1);
    }

    private static void assertRefused(Api.Response response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("type").asString()).isEqualTo("urn:warden:problem:unauthenticated");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"warden\"");
    }
}
