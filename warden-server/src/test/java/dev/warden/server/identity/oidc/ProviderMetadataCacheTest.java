package dev.warden.server.identity.oidc;

import dev.warden.server.support.ManualClock;

import static dev.warden.server.identity.oidc.OidcSignInTest.assertRejected;
import static dev.warden.server.identity.oidc.TestIdps.CLIENT_ID;
import static dev.warden.server.identity.oidc.TestIdps.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import dev.warden.server.access.OrgId;
import dev.warden.server.identity.oidc.OidcRejected.Reason;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery and key sets against a real provider: what is believed, what is cached, and what gives up in time. */
class ProviderMetadataCacheTest {
    static final URI REDIRECT = URI.create("https://warden.example.com/sso/oidc/callback");
    static TestIdps idps;

    ManualClock clock;
    RecordingHttp http;
    ProviderMetadataCache providers;
    AuthorizationRequests authorizations;

    @BeforeAll
    static void startProviders() throws Exception {
        idps = new TestIdps();
    }

    @AfterAll
    static void stopProviders() {
        idps.close();
    }

    @BeforeEach
    void setUp() {
        clock = new ManualClock();
        http = new RecordingHttp(IdpHttp.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        providers = new ProviderMetadataCache(http, clock);
        authorizations = new AuthorizationRequests(providers, clock);
    }

    static OidcSettings settingsFor(String issuer) {
        return OidcSettings.builder(issuer, CLIENT_ID, ClientSecret.of(SECRET)).org(OrgId.random()).build();
    }

    @Test
    void aDiscoveryDocumentThatNamesAnotherIssuerIsRefused() {
        // Served at .../impostor, it claims to be org A's provider (a mix-up attempt).
        assertRejected(() -> authorizations.start(settingsFor(idps.url("/impostor")), REDIRECT), Reason.DISCOVERY_REJECTED);
    }

    @Test
    void aTrailingSlashIsAnotherIssuer() {
        assertRejected(() -> authorizations.start(settingsFor(idps.issuerA() + "/"), REDIRECT), Reason.DISCOVERY_REJECTED);
        assertThat(authorizations.start(settingsFor(idps.issuerA()), REDIRECT).authorizationUrl()).isNotNull();
    }

    @Test
    void discoveredEndpointsMustBeHttps() {
        assertRejected(() -> authorizations.start(settingsFor(idps.url("/plain-http")), REDIRECT), Reason.DISCOVERY_REJECTED);
    }

    @Test
    void discoveryAndKeysAreCached() {
        String issuer = idps.issuerA();
        providers.endpoints(issuer);
        providers.endpoints(issuer);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idps.keyA.getKeyID()).build();
        assertThat(providers.verificationKeys(issuer, header)).hasSize(1);
        assertThat(providers.verificationKeys(issuer, header)).hasSize(1);
        assertThat(http.count("/.well-known/openid-configuration")).isEqualTo(1);
        assertThat(http.count("/jwks")).isEqualTo(1);

        clock.advance(ProviderMetadataCache.KEYS_TTL.plusSeconds(1));
        assertThat(providers.verificationKeys(issuer, header)).hasSize(1);
        assertThat(http.count("/.well-known/openid-configuration")).as("discovery after its TTL").isEqualTo(2);
        assertThat(http.count("/jwks")).as("keys after their TTL").isEqualTo(2);
    }

    @Test
    void keysComeOnlyFromTheDiscoveredJwksUri() {
        providers.verificationKeys(idps.issuerA(), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("whatever").build());
        assertThat(http.sent()).extracting(s -> s.uri().toString())
                .containsExactly(idps.issuerA() + "/.well-known/openid-configuration", idps.issuerA() + "/jwks");
    }

    @Test
    void anUnreachableProviderIsUnavailable() {
        String issuer = "http://127.0.0.1:" + idps.closedPort() + "/realm";
        assertRejected(() -> authorizations.start(settingsFor(issuer), REDIRECT), Reason.IDP_UNAVAILABLE);
    }

    @Test
    void aProviderThatNeverAnswersTimesOut() {
        ProviderMetadataCache impatient = new ProviderMetadataCache(
                IdpHttp.withTimeouts(Duration.ofMillis(500), Duration.ofMillis(800)), clock);
        long started = System.nanoTime();
        assertRejected(() -> new AuthorizationRequests(impatient, clock).start(
                settingsFor(idps.hangingTokenEndpoint().replace("/token", "/realm")), REDIRECT), Reason.IDP_UNAVAILABLE);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void anOversizedAnswerIsRefusedNotBuffered() {
        OidcRejected rejected = assertRejected(() -> authorizations.start(settingsFor(idps.url("/huge")), REDIRECT),
                Reason.IDP_UNAVAILABLE);
        assertThat(rejected.getCause()).hasMessageContaining("larger than " + IdpHttp.MAX_BODY_BYTES);
    }

    @Test
    void redirectsAreNotFollowed() {
        assertRejected(() -> authorizations.start(settingsFor(idps.url("/redirecting")), REDIRECT), Reason.DISCOVERY_REJECTED);
        assertThat(http.sent()).hasSize(1);
    }
}
