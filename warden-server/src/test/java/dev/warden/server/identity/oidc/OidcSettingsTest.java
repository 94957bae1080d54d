package dev.warden.server.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import dev.warden.server.access.OrgId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OidcSettingsTest {
    static final String SECRET = "Sup3r-Secret-Client-Value-7f1d";
    static final OrgId ORG = OrgId.random();

    static OidcSettings.Builder builder() {
        return OidcSettings.builder("https://idp.acme.com", "client", ClientSecret.of(SECRET)).org(ORG);
    }

    @Test
    void defaults() {
        OidcSettings settings = builder().build();
        assertThat(settings.scopes()).containsExactly("openid", "email", "profile");
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.allowedAlgorithms()).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
                JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);
        assertThat(settings.clientAuthMethod()).isEqualTo(OidcSettings.ClientAuthMethod.CLIENT_SECRET_BASIC);
        assertThat(settings.requiresMfa()).isFalse();
        assertThat(settings.allowedEmailDomains()).isEmpty();
    }

    @Test
    void presets() {
        OidcSettings google = OidcSettings.google("g-client", ClientSecret.of(SECRET)).org(ORG).allowedEmailDomains("acme.com").build();
        assertThat(google.issuer()).isEqualTo("https://accounts.google.com");
        assertThat(google.allowedAlgorithms()).containsExactly(JWSAlgorithm.RS256);

        OidcSettings okta = OidcSettings.okta("Acme.Okta.com", "o-client", ClientSecret.of(SECRET)).org(ORG).build();
        assertThat(okta.issuer()).isEqualTo("https://acme.okta.com");
        assertThat(okta.scopes()).containsExactly("openid", "email", "profile", "groups");
        assertThat(okta.groupsClaim()).contains("groups");

        for (String domain : List.of("https://acme.okta.com", "acme.okta.com/oauth2", "evil.com#acme.okta.com",
                "user@acme.okta.com", "acme", "")) {
            assertThatThrownBy(() -> OidcSettings.okta(domain, "o-client", ClientSecret.of(SECRET)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void hmacAndNoneCanNeverBeAllowed() {
        for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS512, new JWSAlgorithm("none"))) {
            assertThatThrownBy(() -> builder().allowedAlgorithms(List.of(JWSAlgorithm.RS256, algorithm)).build())
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> builder().allowedAlgorithms(List.of()).build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(builder().allowedAlgorithms(List.of(JWSAlgorithm.ES256)).build().allowedAlgorithms())
                .containsExactly(JWSAlgorithm.ES256);
    }

    @Test
    void theClockSkewIsAtMostFiveMinutes() {
        assertThat(builder().clockSkew(Duration.ofMinutes(5)).build().clockSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> builder().clockSkew(Duration.ofMinutes(5).plusSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().clockSkew(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theIssuerIsHttpsExceptOnLoopback() {
        for (String issuer : List.of("http://idp.acme.com", "ftp://idp.acme.com", "https://idp.acme.com?x=1",
                "https://idp.acme.com#f", "https://user@idp.acme.com", "idp.acme.com", "")) {
            assertThatThrownBy(() -> OidcSettings.builder(issuer, "client", ClientSecret.of(SECRET)).org(ORG).build())
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(OidcSettings.builder("http://localhost:8080/realms/demo", "client", ClientSecret.of(SECRET)).org(ORG)
                .build().issuer()).isEqualTo("http://localhost:8080/realms/demo");
    }

    @Test
    void scopesMustIncludeOpenidAndDomainsAreNormalised() {
        assertThatThrownBy(() -> builder().scopes(List.of("email")).build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(builder().allowedEmailDomains("ACME.com", "@Example.org").build().allowedEmailDomains())
                .containsExactlyInAnyOrder("acme.com", "example.org");
        assertThatThrownBy(() -> builder().allowedEmailDomains("*.acme.com").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().allowedEmailDomains("acme.com/x").build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOrgIsRequired() {
        assertThatThrownBy(() -> OidcSettings.builder("https://idp.acme.com", "client", ClientSecret.of(SECRET)).build())
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theSecretIsNeverShown() {
        OidcSettings settings = builder().requiredAmrValues(List.of("mfa")).build();
        assertThat(settings.toString()).doesNotContain(SECRET).contains("redacted");
        assertThat(settings.requiresMfa()).isTrue();
        assertThat(ClientSecret.of(SECRET.toCharArray()).toString()).isEqualTo("ClientSecret[redacted]");
        assertThatThrownBy(() -> ClientSecret.of("")).isInstanceOf(IllegalArgumentException.class);
    }
}
