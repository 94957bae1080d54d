package dev.warden.server.identity.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgRole;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SSO settings: checked as sign-in would use them, secrets write-only and sealed, metadata public. */
@ExtendWith(OutputCaptureExtension.class)
class SsoSettingsTest extends ApiTest {
    @Autowired
    JdbcClient jdbc;

    @Test
    void theOidcClientSecretIsWriteOnlySealedAndNeverLoggedOrAudited(CapturedOutput output) {
        Fixtures.TestOrg org = fixtures.org();
        String sentinel = "0IDC-S3CRET-" + UUID.randomUUID();
        Api.Response first = api().send(org.admin().key(), "PUT", "/api/v1/sso/oidc", Map.of(
                "issuer", "https://idp.example.com", "client_id", "warden", "client_secret", sentinel,
                "allowed_email_domains", List.of(org.slug() + ".test"), "required_amr", List.of("mfa")), "application/json");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("client_secret").path("set").asBoolean()).isTrue();
        Api.Response read = api().get(org.admin().key(), "/api/v1/sso/oidc");
        assertThat(read.json().path("issuer").asString()).isEqualTo("https://idp.example.com");
        // changed without a secret: the old one stays
        Api.Response changed = api().send(org.admin().key(), "PUT", "/api/v1/sso/oidc", Map.of(
                "issuer", "https://idp.example.com", "client_id", "warden-2"), "application/json");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().path("client_secret").path("set").asBoolean()).isTrue();
        String audit = api().get(org.admin().key(), "/api/v1/audit-events/export").body();
        assertThat(audit).contains("sso.oidc.update", "replaced", "unchanged");
        for (String text : List.of(first.body(), read.body(), changed.body(), audit, output.getAll())) {
            assertThat(text).doesNotContain(sentinel);
        }
        byte[] sealed = jdbc.sql("SELECT client_secret_sealed FROM sso_oidc WHERE org_id = ?").param(org.id().value())
                .query(byte[].class).single();
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(sentinel);
    }

    @Test
    void badOidcSettingsAreRefusedAndChangeNothing() {
        Fixtures.TestOrg org = fixtures.org();
        assertThat(api().send(org.admin().key(), "PUT", "/api/v1/sso/oidc",
                Map.of("issuer", "https://idp.example.com", "client_id", "warden"), "application/json").status())
                .isEqualTo(400); // no secret the first time
        assertThat(api().send(org.admin().key(), "PUT", "/api/v1/sso/oidc",
                Map.of("issuer", "not a url", "client_id", "warden", "client_secret", "s"), "application/json").status())
                .isEqualTo(400);
        assertThat(api().send(org.admin().key(), "PUT", "/api/v1/sso/oidc",
                Map.of("preset", "myspace", "client_id", "warden", "client_secret", "s"), "application/json").status())
                .isEqualTo(400);
        assertThat(api().get(org.admin().key(), "/api/v1/sso/oidc").status()).isEqualTo(404);
        // presets fill in the issuer
        Api.Response google = api().send(org.admin().key(), "PUT", "/api/v1/sso/oidc",
                Map.of("preset", "google", "client_id", "warden", "client_secret", "s"), "application/json");
        assertThat(google.status()).as(google.body()).isEqualTo(200);
    }

    @Test
    void samlSettingsTakeCertificatesAndTheSpMetadataIsPublicWithoutRevealingWhichOrgsExist() throws Exception {
        Fixtures.TestOrg org = fixtures.org();
        Map<String, Object> saml = Map.of("idp_entity_id", "https://idp.example.com/saml",
                "idp_sso_url", "https://idp.example.com/saml/sso", "idp_certificates", List.of(pem("idp"), pem("idp-next")),
                "required_authn_context_class_refs", List.of("urn:oasis:names:tc:SAML:2.0:ac:classes:MultiFactor"));
        Api.Response saved = api().send(org.admin().key(), "PUT", "/api/v1/sso/saml", saml, "application/json");
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().path("acs_url").asString()).endsWith("/saml/" + org.slug() + "/acs");

        Api.Response metadata = api().get(null, "/saml/" + org.slug() + "/metadata");
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.body()).contains("SPSSODescriptor", "/saml/" + org.slug() + "/acs");
        Api.Response withoutSaml = api().get(null, "/saml/" + fixtures.org().slug() + "/metadata");
        Api.Response unknown = api().get(null, "/saml/no-such-org-" + UUID.randomUUID() + "/metadata");
        assertThat(withoutSaml.status()).isEqualTo(unknown.status()).isEqualTo(404);
        assertThat(withoutSaml.json().path("detail").asString()).isEqualTo(unknown.json().path("detail").asString());

        assertThat(api().send(org.admin().key(), "PUT", "/api/v1/sso/saml", Map.of("idp_entity_id", "x",
                "idp_sso_url", "https://idp.example.com/sso", "idp_certificates", List.of("not a certificate")),
                "application/json").status()).isEqualTo(400);
        // members never see or change SSO
        String member = fixtures.person(org, OrgRole.MEMBER).key();
        assertThat(api().get(member, "/api/v1/sso/saml").status()).isEqualTo(403);
        assertThat(api().send(member, "PUT", "/api/v1/sso/saml", saml, "application/json").status()).isEqualTo(403);
    }

    private static String pem(String alias) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = SsoSettingsTest.class.getResourceAsStream("/saml/test-keys.p12")) {
            store.load(in, "changeit".toCharArray());
        }
        X509Certificate cert = (X509Certificate) store.getCertificate(alias);
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
