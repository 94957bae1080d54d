package dev.warden.server.identity.oidc;

import dev.warden.server.support.ManualClock;

import static dev.warden.server.identity.oidc.TestIdps.CLIENT_ID;
import static dev.warden.server.identity.oidc.TestIdps.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.warden.server.access.OrgId;
import dev.warden.server.identity.oidc.OidcRejected.Reason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OIDC sign-in against a real OIDC provider (mock-oauth2-server, started here): the code flow
 * with PKCE end to end, and every way an ID token or a callback must be refused. Where the
 * provider cannot produce the attack itself, the test replaces the ID token on the wire with
 * one it crafted (see {@link RecordingHttp}).
 */
class OidcSignInTest {
    static final OrgId ORG_A = OrgId.random();
    static final OrgId ORG_B = OrgId.random();
    static final URI REDIRECT = URI.create("https://warden.example.com/sso/oidc/callback");

    static TestIdps idps;
    static final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    ManualClock clock;
    RecordingHttp http;
    ProviderMetadataCache providers;
    AuthorizationRequests authorizations;
    OidcSignIn signIn;
    OidcSettings settings;

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
        idps.claimsA.reset();
        idps.claimsB.reset();
        clock = new ManualClock();
        http = new RecordingHttp(IdpHttp.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        providers = new ProviderMetadataCache(http, clock);
        authorizations = new AuthorizationRequests(providers, clock);
        signIn = new OidcSignIn(providers);
        settings = settingsA().build();
    }

    static OidcSettings.Builder settingsA() {
        return OidcSettings.builder(idps.issuerA(), CLIENT_ID, ClientSecret.of(SECRET))
                .org(ORG_A)
                .allowedEmailDomains("acme.com")
                .claimMapping(Map.of("department", "department"))
                .groupsClaim("groups");
    }

    // ---- the flow that works ----------------------------------------------------------------

    @Test
    void aValidSignInYieldsTheVerifiedIdentity() {
        OidcIdentity identity = signIn(settings);

        assertThat(identity.org()).isEqualTo(ORG_A);
        assertThat(identity.issuer()).isEqualTo(idps.issuerA());
        assertThat(identity.subject()).isEqualTo("alice-subject");
        assertThat(identity.email()).isEqualTo("alice@acme.com");
        assertThat(identity.emailVerified()).isTrue();
        assertThat(identity.name()).contains("Alice Analyst");
        assertThat(identity.attributes()).containsExactly(Map.entry("department", List.of("finance")));
        assertThat(identity.groups()).containsExactly("analysts", "emea");
        assertThat(identity.amr()).containsExactly("pwd");
    }

    @Test
    void theAuthorizationUrlCarriesStateNonceAndAnS256ChallengeButNeverTheVerifier() {
        SignInRedirect redirect = authorizations.start(settings, REDIRECT);
        PendingSignIn pending = redirect.pending();
        Map<String, List<String>> query = URLUtils.parseParameters(redirect.authorizationUrl().getRawQuery());

        assertThat(redirect.authorizationUrl().toString()).startsWith(idps.issuerA() + "/authorize?");
        assertThat(query.get("response_type")).containsExactly("code");
        assertThat(query.get("client_id")).containsExactly(CLIENT_ID);
        assertThat(query.get("scope")).containsExactly("openid email profile");
        assertThat(query.get("state")).containsExactly(pending.state());
        assertThat(query.get("nonce")).containsExactly(pending.nonce());
        assertThat(query.get("code_challenge_method")).containsExactly("S256");
        assertThat(query.get("code_challenge")).containsExactly(
                CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(pending.codeVerifier())).getValue());
        assertThat(redirect.authorizationUrl().toString()).doesNotContain(pending.codeVerifier());
        // 256 random bits, base64url: 43 characters; fresh for every sign-in.
        assertThat(Base64URL.from(pending.state()).decode()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(authorizations.start(settings, REDIRECT).pending().state()).isNotEqualTo(pending.state());
        assertThat(redirect.toString()).doesNotContain(pending.state()).doesNotContain(pending.codeVerifier());
        assertThat(pending.toString()).doesNotContain(pending.state()).doesNotContain(pending.codeVerifier())
                .doesNotContain(pending.nonce());
    }

    @Test
    void theTokenRequestSendsThePkceVerifierAndAuthenticatesWithBasicByDefault() {
        SignInRedirect redirect = authorizations.start(settings, REDIRECT);
        Callback callback = authorize(redirect);
        signIn.complete(settings, redirect.pending(), callback.state(), callback.code(), REDIRECT, clock.instant());

        RecordingHttp.Sent tokenRequest = http.sent().stream().filter(s -> s.uri().getPath().endsWith("/token"))
                .findFirst().orElseThrow();
        Map<String, List<String>> form = URLUtils.parseParameters(tokenRequest.body());
        assertThat(form.get("grant_type")).containsExactly("authorization_code");
        assertThat(form.get("code_verifier")).containsExactly(redirect.pending().codeVerifier());
        assertThat(form.get("redirect_uri")).containsExactly(REDIRECT.toString());
        assertThat(form).doesNotContainKey("client_secret");
        assertThat(tokenRequest.headers().get("Authorization")).singleElement().asString().startsWith("Basic ");
    }

    @Test
    void clientSecretPostAlsoSignsIn() {
        OidcSettings post = settingsA().clientAuthMethod(OidcSettings.ClientAuthMethod.CLIENT_SECRET_POST).build();
        assertThat(signIn(post).subject()).isEqualTo("alice-subject");
        RecordingHttp.Sent tokenRequest = http.sent().stream().filter(s -> s.uri().getPath().endsWith("/token"))
                .findFirst().orElseThrow();
        assertThat(URLUtils.parseParameters(tokenRequest.body()).get("client_id")).containsExactly(CLIENT_ID);
        assertThat(tokenRequest.headers()).doesNotContainKey("Authorization");
    }

    // ---- state, pending sign-in, PKCE ------------------------------------------------------

    @Test
    void aCallbackWithAnotherStateIsRefusedBeforeAnythingIsSent() {
        SignInRedirect redirect = authorizations.start(settings, REDIRECT);
        Callback callback = authorize(redirect);
        SignInRedirect other = authorizations.start(settings, REDIRECT);

        assertRejected(() -> signIn.complete(settings, redirect.pending(), other.pending().state(), callback.code(),
                REDIRECT, clock.instant()), Reason.STATE_MISMATCH);
        assertRejected(() -> signIn.complete(settings, redirect.pending(), null, callback.code(), REDIRECT,
                clock.instant()), Reason.STATE_MISMATCH);
        assertThat(http.count("/token")).isZero();
    }

    @Test
    void aSignInOlderThanTenMinutesIsRefused() {
        SignInRedirect redirect = authorizations.start(settings, REDIRECT);
        Callback callback = authorize(redirect);
        Instant late = redirect.pending().createdAt().plus(OidcSignIn.MAX_PENDING_AGE).plusSeconds(1);

        assertRejected(() -> signIn.complete(settings, redirect.pending(), callback.state(), callback.code(), REDIRECT,
                late), Reason.SIGN_IN_EXPIRED);
    }

    @Test
    void aPendingSignInOfAnotherOrgOrAnotherRedirectUriIsRefused() {
        SignInRedirect redirect = authorizations.start(settings, REDIRECT);
        Callback callback = authorize(redirect);
        OidcSettings orgB = OidcSettings.builder(idps.issuerB(), CLIENT_ID, ClientSecret.of(SECRET)).org(ORG_B).build();

        assertRejected(() -> signIn.complete(orgB, redirect.pending(), callback.state(), callback.code(), REDIRECT,
                clock.instant()), Reason.SIGN_IN_MISMATCH);
        assertRejected(() -> signIn.complete(settings, redirect.pending(), callback.state(), callback.code(),
                URI.create("https://evil.example.com/callback"), clock.instant()), Reason.SIGN_IN_MISMATCH);
    }

    @Test
    void theProviderRefusesTheCodeWithAnotherPkceVerifier() {
        SignInRedirect redirect = authorizations.start(settings, REDIRECT);
        Callback callback = authorize(redirect);
        PendingSignIn p = redirect.pending();
        PendingSignIn otherVerifier = new PendingSignIn(p.org(), p.state(), p.nonce(), new CodeVerifier().getValue(),
                p.redirectUri(), p.createdAt());

        OidcRejected rejected = assertRejected(() -> signIn.complete(settings, otherVerifier, callback.state(),
                callback.code(), REDIRECT, clock.instant()), Reason.TOKEN_EXCHANGE_FAILED);
        assertThat(rejected.getMessage()).contains("invalid_grant");
    }

    @Test
    void aPendingSignInCannotExistWithoutAPkceVerifier() {
        PendingSignIn p = authorizations.start(settings, REDIRECT).pending();
        for (String verifier : new String[] {null, "", "too-short"}) {
            assertThatThrownBy(() -> new PendingSignIn(p.org(), p.state(), p.nonce(), verifier, p.redirectUri(),
                    p.createdAt())).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new PendingSignIn(p.org(), "short", p.nonce(), p.codeVerifier(), p.redirectUri(),
                p.createdAt())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCodeThatWasUsedOnceSignsNobodyInAgain() {
        SignInRedirect redirect = authorizations.start(settings, REDIRECT);
        Callback callback = authorize(redirect);
        signIn.complete(settings, redirect.pending(), callback.state(), callback.code(), REDIRECT, clock.instant());

        // Either the provider refuses the used code, or (this mock) it issues a token that no longer
        // carries the sign-in's nonce: both are refusals.
        OidcRejected rejected = assertRejected(() -> signIn.complete(settings, redirect.pending(), callback.state(),
                callback.code(), REDIRECT, clock.instant()), null);
        assertThat(rejected.reason()).isIn(Reason.TOKEN_EXCHANGE_FAILED, Reason.NONCE_MISMATCH);
    }

    // ---- time claims -------------------------------------------------------------------------

    @Test
    void anExpiredTokenIsRefused() {
        idps.claimsA.expiresIn(-120); // exp two minutes ago: beyond the 60 s skew
        assertRejected(() -> signIn(settings), Reason.EXPIRED);
    }

    @Test
    void aTokenExpiredWithinTheSkewIsStillAccepted() {
        idps.claimsA.expiresIn(-20);
        assertThat(signIn(settings).subject()).isEqualTo("alice-subject");
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        idps.claimsA.set("nbf", Instant.now().plusSeconds(600).getEpochSecond());
        assertRejected(() -> signIn(settings), Reason.NOT_YET_VALID);
    }

    @Test
    void aTokenIssuedFarInTheFutureIsRefused() {
        idps.claimsA.set("iat", Instant.now().plusSeconds(600).getEpochSecond());
        assertRejected(() -> signIn(settings), Reason.ISSUED_IN_FUTURE);
    }

    // ---- issuer, audience, azp, nonce --------------------------------------------------------

    @Test
    void aTokenNamingAnotherIssuerIsRefusedEvenWhenSignedByTheProvidersKey() {
        idps.claimsA.set("iss", "https://accounts.evil.example.com");
        assertRejected(() -> signIn(settings), Reason.WRONG_ISSUER);
    }

    @Test
    void aTokenForAnotherClientIsRefused() {
        idps.claimsA.set("aud", List.of("another-client"));
        assertRejected(() -> signIn(settings), Reason.WRONG_AUDIENCE);
    }

    @Test
    void severalAudiencesNeedAnAzpThatIsThisClient() {
        idps.claimsA.set("aud", List.of(CLIENT_ID, "another-client"));
        assertRejected(() -> signIn(settings), Reason.WRONG_AUDIENCE);

        idps.claimsA.set("azp", "another-client");
        assertRejected(() -> signIn(settings), Reason.WRONG_AUDIENCE);

        idps.claimsA.set("azp", CLIENT_ID);
        assertThat(signIn(settings).subject()).isEqualTo("alice-subject");
    }

    @Test
    void aTokenWithAnotherSignInsNonceIsRefused() {
        idps.claimsA.set("nonce", "a-nonce-of-some-other-sign-in");
        assertRejected(() -> signIn(settings), Reason.NONCE_MISMATCH);
    }

    @Test
    void aReplayedGenuineIdTokenIsRefusedByItsNonce() {
        String[] captured = new String[1];
        http.replaceIdToken(claims -> {
            captured[0] = signWithKeyA(claims); // a genuine token of the first sign-in, kept by an attacker
            return captured[0];
        });
        signIn(settings);
        http.replaceIdToken(claims -> captured[0]);

        assertRejected(() -> signIn(settings), Reason.NONCE_MISMATCH);
    }

    @Test
    void aTokenWithoutSubjectIsRefused() {
        http.replaceIdToken(claims -> signWithKeyA(new JWTClaimsSet.Builder(claims).subject(null).build()));
        assertRejected(() -> signIn(settings), Reason.MISSING_SUBJECT);
    }

    // ---- algorithms and keys -----------------------------------------------------------------

    @Test
    void anUnsignedTokenIsRefused() {
        http.replaceIdToken(claims -> new PlainJWT(claims).serialize());
        assertRejected(() -> signIn(settings), Reason.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void anHs256TokenKeyedWithTheProvidersPublicKeyIsRefused() throws Exception {
        // The classic confusion: the public key, known to all, used as an HMAC secret.
        byte[] publicKeyBytes = idps.keyA.toRSAPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(publicKeyBytes)
                + "\n-----END PUBLIC KEY-----\n";
        for (byte[] secret : List.of(publicKeyBytes, pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                idps.keyA.toPublicJWK().toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            http.replaceIdToken(claims -> sign(claims, new JWSHeader.Builder(JWSAlgorithm.HS256)
                    .keyID(idps.keyA.getKeyID()).type(JOSEObjectType.JWT).build(), macSigner(secret)));
            assertRejected(() -> signIn(settings), Reason.ALGORITHM_NOT_ALLOWED);
        }
    }

    @Test
    void aGenuineTokenInAnAlgorithmTheOrgDoesNotAllowIsRefused() {
        OidcSettings esOnly = settingsA().allowedAlgorithms(List.of(JWSAlgorithm.ES256)).build();
        assertRejected(() -> signIn(esOnly), Reason.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void aTokenSignedByAnUnknownKeyRefreshesTheKeysOnceAndIsRefused() throws Exception {
        signIn(settings);
        assertThat(http.count("/jwks")).isEqualTo(1);
        clock.advance(ProviderMetadataCache.MIN_KEY_REFRESH_INTERVAL); // the first fetch counts against the rate limit too

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("unknown-kid-1").generate();
        http.replaceIdToken(claims -> sign(claims, rs256(stranger.getKeyID()), rsaSigner(stranger)));
        assertRejected(() -> signIn(settings), Reason.UNKNOWN_KEY);
        assertThat(http.count("/jwks")).as("one refresh for the unknown kid").isEqualTo(2);

        RSAKey another = new RSAKeyGenerator(2048).keyID("unknown-kid-2").generate();
        http.replaceIdToken(claims -> sign(claims, rs256(another.getKeyID()), rsaSigner(another)));
        assertRejected(() -> signIn(settings), Reason.UNKNOWN_KEY);
        assertThat(http.count("/jwks")).as("no refresh within the rate-limit window").isEqualTo(2);
        clock.advance(ProviderMetadataCache.MIN_KEY_REFRESH_INTERVAL.minusSeconds(1));
        assertRejected(() -> signIn(settings), Reason.UNKNOWN_KEY);
        assertThat(http.count("/jwks")).as("still none just before the window ends").isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        assertRejected(() -> signIn(settings), Reason.UNKNOWN_KEY);
        assertThat(http.count("/jwks")).as("a refresh again once the window has passed").isEqualTo(3);
    }

    @Test
    void aRotatedKeyIsPickedUpByTheRefreshOnItsUnknownKid() throws Exception {
        signIn(settings);
        clock.advance(ProviderMetadataCache.MIN_KEY_REFRESH_INTERVAL);
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("org-a-key-2").generate();
        // The provider rotates: its JWKS now also publishes the new key, and it signs with it.
        http.rewriteJwks(jwks -> "{\"keys\":[" + idps.keyA.toPublicJWK().toJSONString() + ","
                + rotated.toPublicJWK().toJSONString() + "]}");
        http.replaceIdToken(claims -> sign(claims, rs256(rotated.getKeyID()), rsaSigner(rotated)));

        assertThat(signIn(settings).subject()).isEqualTo("alice-subject");
        assertThat(http.count("/jwks")).isEqualTo(2);
    }

    @Test
    void aTokenSignedByAnotherKeyUnderTheProvidersKidIsRefused() {
        http.replaceIdToken(claims -> sign(claims, rs256(idps.keyA.getKeyID()), rsaSigner(idps.attackerKey)));
        assertRejected(() -> signIn(settings), Reason.BAD_SIGNATURE);
    }

    @Test
    void aJkuHeaderIsRefusedAndTheAttackersKeySetNeverFetched() {
        int hitsBefore = idps.attackerJwksHits.get();
        http.replaceIdToken(claims -> sign(claims, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(idps.attackerKey.getKeyID()).jwkURL(URI.create(idps.attackerJwksUrl())).build(),
                rsaSigner(idps.attackerKey)));
        assertRejected(() -> signIn(settings), Reason.FORBIDDEN_HEADER);

        // Refused for carrying the header at all, even with a signature the provider's key verifies.
        http.replaceIdToken(claims -> sign(claims, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(idps.keyA.getKeyID()).jwkURL(URI.create(idps.attackerJwksUrl())).build(), rsaSigner(idps.keyA)));
        assertRejected(() -> signIn(settings), Reason.FORBIDDEN_HEADER);

        assertThat(idps.attackerJwksHits.get()).isEqualTo(hitsBefore);
        assertThat(http.sent()).noneMatch(s -> s.uri().toString().contains("/attacker/"));
    }

    @Test
    void anEmbeddedJwkHeaderIsRefused() {
        http.replaceIdToken(claims -> sign(claims, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(idps.attackerKey.getKeyID()).jwk(idps.attackerKey.toPublicJWK()).build(),
                rsaSigner(idps.attackerKey)));
        assertRejected(() -> signIn(settings), Reason.FORBIDDEN_HEADER);
    }

    @Test
    void anX5uHeaderIsRefused() {
        http.replaceIdToken(claims -> sign(claims, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(idps.keyA.getKeyID()).x509CertURL(URI.create(idps.attackerJwksUrl())).build(),
                rsaSigner(idps.keyA)));
        assertRejected(() -> signIn(settings), Reason.FORBIDDEN_HEADER);
    }

    @Test
    void anX5cHeaderIsRefused() {
        http.replaceIdToken(claims -> sign(claims, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(idps.keyA.getKeyID()).x509CertChain(List.of(com.nimbusds.jose.util.Base64.encode("a certificate")))
                .build(), rsaSigner(idps.keyA)));
        assertRejected(() -> signIn(settings), Reason.FORBIDDEN_HEADER);
    }

    @Test
    void anEs256TokenFromAnEcKeyInTheProvidersJwksIsAccepted() throws Exception {
        ECKey ecKey = new ECKeyGenerator(Curve.P_256).keyID("org-a-ec").generate();
        http.rewriteJwks(jwks -> "{\"keys\":[" + idps.keyA.toPublicJWK().toJSONString() + ","
                + ecKey.toPublicJWK().toJSONString() + "]}");
        http.replaceIdToken(claims -> sign(claims, new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ecKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), ecSigner(ecKey)));
        assertThat(signIn(settings).subject()).isEqualTo("alice-subject");

        // The same EC key under an RSA algorithm, or an RSA key under ES256, is not a match.
        http.replaceIdToken(claims -> sign(claims, new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(idps.keyA.getKeyID())
                .type(JOSEObjectType.JWT).build(), ecSigner(ecKey)));
        assertRejected(() -> signIn(settings), Reason.UNKNOWN_KEY);
    }

    @Test
    void anAccessTokenTypedAtJwtIsNotAnIdToken() {
        http.replaceIdToken(claims -> sign(claims, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(idps.keyA.getKeyID()).type(new JOSEObjectType("at+jwt")).build(), rsaSigner(idps.keyA)));
        assertRejected(() -> signIn(settings), Reason.FORBIDDEN_HEADER);
    }

    @Test
    void aTokenFromAnotherOrgsProviderIsRefused() {
        // Org B's provider issues a genuine token (its key, its issuer), even for this client id and this sign-in's nonce.
        http.replaceIdToken(claims -> idps.idpB.issueToken("org-b", CLIENT_ID, new ScriptedClaims("org-b")
                .set("nonce", claims.getClaim("nonce")).set("aud", List.of(CLIENT_ID))).serialize());
        assertRejected(() -> signIn(settings), Reason.UNKNOWN_KEY);

        // And when it also claims to be org A's issuer, its key is still not org A's.
        http.replaceIdToken(claims -> idps.idpB.issueToken("org-b", CLIENT_ID, new ScriptedClaims("org-b")
                .set("nonce", claims.getClaim("nonce")).set("aud", List.of(CLIENT_ID))
                .set("iss", idps.issuerA())).serialize());
        assertRejected(() -> signIn(settings), Reason.UNKNOWN_KEY);
    }

    @Test
    void orgBsSettingsDoNotAcceptOrgAsProvider() {
        // Org B trusts its own provider: a sign-in with org A's provider's token does not pass org B's checks.
        OidcSettings orgB = OidcSettings.builder(idps.issuerB(), CLIENT_ID, ClientSecret.of(SECRET)).org(ORG_B).build();
        http.replaceIdToken(claims -> signWithKeyA(claims));
        SignInRedirect redirect = authorizations.start(orgB, REDIRECT);
        Callback callback = authorize(redirect);
        assertRejected(() -> signIn.complete(orgB, redirect.pending(), callback.state(), callback.code(), REDIRECT,
                clock.instant()), Reason.UNKNOWN_KEY);
    }

    // ---- email and domains -------------------------------------------------------------------

    @Test
    void anUnverifiedEmailIsRefused() {
        idps.claimsA.set("email_verified", false);
        assertRejected(() -> signIn(settings), Reason.EMAIL_NOT_VERIFIED);

        idps.claimsA.set("email_verified", null);
        assertRejected(() -> signIn(settings), Reason.EMAIL_NOT_VERIFIED);

        idps.claimsA.set("email_verified", "true"); // text, not a JSON boolean
        assertRejected(() -> signIn(settings), Reason.EMAIL_NOT_VERIFIED);
    }

    @Test
    void aTokenWithoutEmailIsRefused() {
        idps.claimsA.set("email", null);
        assertRejected(() -> signIn(settings), Reason.EMAIL_MISSING);
    }

    @Test
    void anEmailOutsideTheAllowedDomainsIsRefusedWithoutSuffixTricks() {
        for (String email : List.of("mallory@evil.com", "mallory@evil-acme.com", "mallory@acme.com.evil.net",
                "mallory@sub.acme.com", "mallory@acme.co", "mallory@evil.com@acme.com", "acme.com@evil.com",
                "mallory@acme.com.", "mallory@")) {
            idps.claimsA.set("email", email);
            assertRejected(() -> signIn(settings), Reason.DOMAIN_NOT_ALLOWED);
        }
    }

    @Test
    void withTheHostedDomainRuleAVerifiedCompanyAddressOutsideTheWorkspaceIsRefused() {
        // Google: a consumer account may hold a verified acme.com address (a former employee's);
        // only the hd claim says the account belongs to acme.com's Workspace.
        OidcSettings google = settingsA().hostedDomainClaim(true).build();
        assertRejected(() -> signIn(google), Reason.DOMAIN_NOT_ALLOWED);
        idps.claimsA.set("hd", "evil.com");
        assertRejected(() -> signIn(google), Reason.DOMAIN_NOT_ALLOWED);
        idps.claimsA.set("hd", "ACME.com");
        assertThat(signIn(google).email()).isEqualTo("alice@acme.com");
        assertThat(OidcSettings.google("x.apps.googleusercontent.com", ClientSecret.of("s")).org(ORG_A).build()
                .hostedDomainClaim()).isTrue();
        assertThat(settings.hostedDomainClaim()).isFalse();
    }

    @Test
    void domainsCompareCaseInsensitively() {
        idps.claimsA.set("email", "Alice@ACME.Com");
        assertThat(signIn(settings).email()).isEqualTo("Alice@ACME.Com");
    }

    // ---- MFA ---------------------------------------------------------------------------------

    @Test
    void anOrgThatRequiresMfaRefusesASignInWithoutItAndSaysWhy() {
        OidcSettings mfa = settingsA().requiredAmrValues(List.of("mfa", "hwk")).build();
        OidcRejected rejected = assertRejected(() -> signIn(mfa), Reason.MFA_REQUIRED);
        assertThat(rejected.publicMessage()).contains("requires multi-factor authentication").contains("mfa");

        idps.claimsA.set("amr", null);
        assertRejected(() -> signIn(mfa), Reason.MFA_REQUIRED);

        idps.claimsA.set("amr", List.of("pwd", "mfa"));
        assertThat(signIn(mfa).amr()).containsExactly("pwd", "mfa");
    }

    @Test
    void aRequiredAcrIsRequestedAndChecked() {
        OidcSettings mfa = settingsA().requiredAcrValues(List.of("phr")).build();
        SignInRedirect redirect = authorizations.start(mfa, REDIRECT);
        assertThat(URLUtils.parseParameters(redirect.authorizationUrl().getRawQuery()).get("acr_values"))
                .containsExactly("phr");

        idps.claimsA.set("acr", "pwd-only");
        assertRejected(() -> signIn(mfa), Reason.MFA_REQUIRED);

        idps.claimsA.set("acr", "phr");
        assertThat(signIn(mfa).acr()).contains("phr");
    }

    // ---- the provider failing ----------------------------------------------------------------

    @Test
    void aTokenEndpointErrorIsReportedWithoutTheProvidersText() {
        OidcSettings echo = OidcSettings.builder(idps.url("/echo"), CLIENT_ID, ClientSecret.of(SECRET)).org(ORG_A).build();
        idps.echoTokenAnswer.set(Map.entry(400, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret "
                + SECRET + " for <script>alert(1)</script>\"}"));
        SignInRedirect redirect = authorizations.start(echo, REDIRECT);
        OidcRejected rejected = assertRejected(() -> signIn.complete(echo, redirect.pending(), redirect.pending().state(),
                "any-code", REDIRECT, clock.instant()), Reason.TOKEN_EXCHANGE_FAILED);
        assertThat(rejected.getMessage()).contains("invalid_client").doesNotContain("bad secret").doesNotContain("script");

        idps.echoTokenAnswer.set(Map.entry(400, "{\"error\":\"Sup3r <b>weird</b> code\"}"));
        rejected = assertRejected(() -> signIn.complete(echo, redirect.pending(), redirect.pending().state(), "any-code",
                REDIRECT, clock.instant()), Reason.TOKEN_EXCHANGE_FAILED);
        assertThat(rejected.getMessage()).doesNotContain("weird");

        idps.echoTokenAnswer.set(Map.entry(503, "upstream exploded: " + SECRET));
        rejected = assertRejected(() -> signIn.complete(echo, redirect.pending(), redirect.pending().state(), "any-code",
                REDIRECT, clock.instant()), Reason.IDP_UNAVAILABLE);
        assertThat(rejected.getMessage()).doesNotContain("exploded");

        idps.echoTokenAnswer.set(Map.entry(200, "<html>not json " + SECRET + "</html>"));
        rejected = assertRejected(() -> signIn.complete(echo, redirect.pending(), redirect.pending().state(), "any-code",
                REDIRECT, clock.instant()), Reason.TOKEN_EXCHANGE_FAILED);
        assertThat(rejected.getMessage()).doesNotContain("html");

        idps.echoTokenAnswer.set(Map.entry(200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\"}"));
        assertRejected(() -> signIn.complete(echo, redirect.pending(), redirect.pending().state(), "any-code",
                REDIRECT, clock.instant()), Reason.TOKEN_EXCHANGE_FAILED);
    }

    @Test
    void aTokenEndpointThatHangsTimesOut() {
        OidcSettings hanging = OidcSettings.builder(idps.url("/hanging"), CLIENT_ID, ClientSecret.of(SECRET)).org(ORG_A).build();
        // Discovery answers normally; only the token request goes through a sender with a short deadline.
        IdpHttp patient = IdpHttp.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
        IdpHttp shortDeadline = IdpHttp.withTimeouts(Duration.ofMillis(500), Duration.ofMillis(800));
        ProviderMetadataCache impatient = new ProviderMetadataCache(request -> request.getURI().getPath().endsWith("/token")
                ? shortDeadline.send(request) : patient.send(request), clock);
        OidcSignIn signIn = new OidcSignIn(impatient);
        SignInRedirect redirect = new AuthorizationRequests(impatient, clock).start(hanging, REDIRECT);
        long started = System.nanoTime();
        OidcRejected rejected = assertRejected(() -> signIn.complete(hanging, redirect.pending(),
                redirect.pending().state(), "any-code", REDIRECT, clock.instant()), Reason.IDP_UNAVAILABLE);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(rejected.getMessage()).contains("token request").contains("Timeout");
    }

    @Test
    void anUnreachableTokenEndpointIsUnavailable() {
        OidcSettings unreachable = OidcSettings.builder(idps.url("/unreachable"), CLIENT_ID, ClientSecret.of(SECRET))
                .org(ORG_A).build();
        SignInRedirect redirect = authorizations.start(unreachable, REDIRECT);
        assertRejected(() -> signIn.complete(unreachable, redirect.pending(), redirect.pending().state(), "any-code",
                REDIRECT, clock.instant()), Reason.IDP_UNAVAILABLE);
    }

    @Test
    void theSecretNeverAppearsInSettingsOrTheirParts() {
        assertThat(settings.toString()).doesNotContain(SECRET).contains("ClientSecret[redacted]");
        assertThat(ClientSecret.of(SECRET).toString()).doesNotContain(SECRET);
        assertThat(ClientSecret.of(SECRET)).isNotEqualTo(ClientSecret.of(SECRET));
    }

    // ---- helpers -----------------------------------------------------------------------------

    record Callback(String code, String state) {
    }

    OidcIdentity signIn(OidcSettings s) {
        SignInRedirect redirect = authorizations.start(s, REDIRECT);
        Callback callback = authorize(redirect);
        return signIn.complete(s, redirect.pending(), callback.state(), callback.code(), REDIRECT, clock.instant());
    }

    /** The browser's trip to the provider: the mock signs the user in without a page and redirects back with a code. */
    static Callback authorize(SignInRedirect redirect) {
        try {
            HttpResponse<String> response = browser.send(HttpRequest.newBuilder(redirect.authorizationUrl()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(302);
            URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
            assertThat(location.toString()).startsWith(REDIRECT.toString());
            Map<String, List<String>> query = URLUtils.parseParameters(location.getRawQuery());
            return new Callback(query.get("code").get(0), query.get("state").get(0));
        } catch (Exception e) {
            throw new AssertionError("the authorization step failed", e);
        }
    }

    /** Refused with this reason ({@code null}: any), and without the client secret anywhere in the exception. */
    static OidcRejected assertRejected(ThrowingCallable call, Reason reason) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(OidcRejected.class);
        OidcRejected rejected = (OidcRejected) thrown;
        if (reason != null) {
            assertThat(rejected.reason()).as(rejected.getMessage()).isEqualTo(reason);
        }
        StringWriter trace = new StringWriter();
        rejected.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(SECRET);
        assertThat(rejected.publicMessage()).doesNotContain(SECRET).isNotBlank();
        return rejected;
    }

    static String signWithKeyA(JWTClaimsSet claims) {
        return sign(claims, rs256(idps.keyA.getKeyID()), rsaSigner(idps.keyA));
    }

    static JWSHeader rs256(String kid) {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build();
    }

    static JWSSigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JWSSigner ecSigner(ECKey key) {
        try {
            return new ECDSASigner(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JWSSigner macSigner(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(JWTClaimsSet claims, JWSHeader header, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
