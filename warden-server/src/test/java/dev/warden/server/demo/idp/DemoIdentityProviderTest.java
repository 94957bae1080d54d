package dev.warden.server.demo.idp;

import dev.warden.server.support.ManualClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import org.junit.jupiter.api.Test;

/**
 * The demo identity provider as a relying party meets it: requests and token calls are built
 * with the same Nimbus client classes Warden's OIDC sign-in uses, and every refusal the brief
 * promises is tried.
 */
class DemoIdentityProviderTest {
    static final String PUBLIC_URL = "http://localhost:8080";
    static final String ISSUER = PUBLIC_URL + "/demo-idp/acme";
    static final URI CALLBACK = URI.create(PUBLIC_URL + "/oidc/acme/callback");

    final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    final DemoIdentityProvider idp = new DemoIdentityProvider(PUBLIC_URL + "/", clock);
    final DemoIdentityProvider.Client acme = idp.client("acme").orElseThrow();

    @Test
    @SuppressWarnings("unchecked")
    void discoveryDescribesTheOrgsIssuerAndOnlyTheCodeFlowWithS256() throws Exception {
        String json = idp.discovery("acme");
        OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(json);
        assertThat(metadata.getIssuer().getValue()).isEqualTo(ISSUER);
        assertThat(metadata.getAuthorizationEndpointURI()).isEqualTo(URI.create(ISSUER + "/authorize"));
        assertThat(metadata.getTokenEndpointURI()).isEqualTo(URI.create(ISSUER + "/token"));
        assertThat(metadata.getJWKSetURI()).isEqualTo(URI.create(ISSUER + "/jwks"));

        JSONObject raw = (JSONObject) new JSONParser(JSONParser.MODE_STRICTEST).parse(json);
        assertThat(raw.get("issuer")).isEqualTo(ISSUER);
        assertThat((List<Object>) raw.get("response_types_supported")).containsExactly("code");
        assertThat((List<Object>) raw.get("subject_types_supported")).containsExactly("public");
        assertThat((List<Object>) raw.get("id_token_signing_alg_values_supported")).containsExactly("RS256");
        assertThat((List<Object>) raw.get("code_challenge_methods_supported")).containsExactly("S256");
        assertThat((List<Object>) raw.get("token_endpoint_auth_methods_supported"))
                .containsExactly("client_secret_basic", "client_secret_post");
        assertThat((List<Object>) raw.get("scopes_supported")).containsExactlyInAnyOrder("openid", "email", "profile");
        assertThat(raw.get("request_uri_parameter_supported")).isEqualTo(false);

        assertThat(idp.issuer("globex")).isEqualTo(PUBLIC_URL + "/demo-idp/globex");
        assertThat(OIDCProviderMetadata.parse(idp.discovery("globex")).getIssuer().getValue())
                .isEqualTo(PUBLIC_URL + "/demo-idp/globex");
    }

    @Test
    void jwksHoldsThePublicSigningKeyOnly() throws Exception {
        JWKSet set = JWKSet.parse(idp.jwks());
        assertThat(set.getKeys()).hasSize(1);
        JWK key = set.getKeys().getFirst();
        assertThat(key).isInstanceOf(RSAKey.class);
        assertThat(key.isPrivate()).isFalse();
        assertThat(((RSAKey) key).size()).isEqualTo(2048);
        assertThat(key.getKeyID()).isNotBlank();
        assertThat(idp.jwks()).doesNotContain("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"");
    }

    @Test
    void theCodeFlowWithPkceYieldsAnIdTokenThatVerifiesAgainstTheJwks() throws Exception {
        Flow flow = startAndApprove("ben@acme.example");
        Instant authTime = clock.instant();
        clock.advance(Duration.ofSeconds(5));
        HTTPResponse response = redeem(flow, new ClientSecretBasic(new ClientID(acme.id()), new Secret(acme.secret())));

        assertThat(response.getStatusCode()).isEqualTo(200);
        TokenResponse parsed = OIDCTokenResponseParser.parse(response);
        assertThat(parsed.indicatesSuccess()).isTrue();
        OIDCTokenResponse tokens = (OIDCTokenResponse) parsed;
        assertThat(tokens.getOIDCTokens().getAccessToken().getValue()).hasSizeGreaterThanOrEqualTo(43);

        SignedJWT idToken = SignedJWT.parse(tokens.getOIDCTokens().getIDTokenString());
        assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(idToken.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        RSAKey key = (RSAKey) JWKSet.parse(idp.jwks()).getKeyByKeyId(idToken.getHeader().getKeyID());
        assertThat(key).as("the token's kid names the JWKS key").isNotNull();
        assertThat(idToken.verify(new RSASSAVerifier(key))).isTrue();

        JWTClaimsSet claims = idToken.getJWTClaimsSet();
        Instant issuedAt = clock.instant();
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getAudience()).containsExactly("warden-demo-acme");
        assertThat(claims.getSubject()).isEqualTo(DemoIdentityProvider.subject("acme", "ben@acme.example"));
        assertThat(claims.getClaim("email")).isEqualTo("ben@acme.example");
        assertThat(claims.getClaim("email_verified")).isEqualTo(Boolean.TRUE);
        assertThat(claims.getClaim("name")).isEqualTo("ben");
        assertThat(claims.getClaim("nonce")).isEqualTo(flow.nonce.getValue());
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(issuedAt);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(issuedAt.plus(Duration.ofMinutes(5)));
        assertThat(claims.getDateClaim("auth_time").toInstant()).isEqualTo(authTime);
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(claims.getStringListClaim("groups")).isEmpty();
    }

    @Test
    void theSubjectIsStablePerPersonAndDiffersBetweenPeople() {
        String ben = DemoIdentityProvider.subject("acme", "ben@acme.example");
        assertThat(ben).isEqualTo(DemoIdentityProvider.subject("acme", "ben@acme.example"))
                .isNotEqualTo(DemoIdentityProvider.subject("acme", "ava@acme.example"))
                .isNotEqualTo(DemoIdentityProvider.subject("globex", "ben@acme.example"))
                .doesNotContain("ben");
    }

    @Test
    void clientSecretPostWorksToo() throws Exception {
        Flow flow = startAndApprove("ava@acme.example");
        HTTPResponse response = redeem(flow, new ClientSecretPost(new ClientID(acme.id()), new Secret(acme.secret())));
        assertThat(response.getStatusCode()).isEqualTo(200);
        SignedJWT idToken = SignedJWT.parse(((OIDCTokenResponse) OIDCTokenResponseParser.parse(response))
                .getOIDCTokens().getIDTokenString());
        assertThat(idToken.getJWTClaimsSet().getClaim("email")).isEqualTo("ava@acme.example");
    }

    @Test
    void aCodeWorksOnce() throws Exception {
        Flow flow = startAndApprove("ben@acme.example");
        assertThat(redeem(flow, basic()).getStatusCode()).isEqualTo(200);
        assertError(redeem(flow, basic()), 400, "invalid_grant");
    }

    @Test
    void aWrongVerifierIsRefusedAndBurnsTheCode() throws Exception {
        Flow flow = startAndApprove("ben@acme.example");
        Flow wrongVerifier = new Flow(flow.code, flow.state, flow.nonce, new CodeVerifier(), flow.redirectUri);
        assertError(redeem(wrongVerifier, basic()), 400, "invalid_grant");
        assertError(redeem(flow, basic()), 400, "invalid_grant");
    }

    @Test
    void aMissingVerifierIsRefused() throws Exception {
        Flow flow = startAndApprove("ben@acme.example");
        Map<String, List<String>> form = form(flow, null);
        form.remove("code_verifier");
        assertError(reply(idp.token("acme", basic().toHTTPAuthorizationHeader(), form, false)), 400, "invalid_grant");
    }

    @Test
    void aWrongClientSecretIsRefusedWithoutEchoingItAndLeavesTheCodeUnused() throws Exception {
        Flow flow = startAndApprove("ben@acme.example");
        String wrong = "not-the-secret-" + "x".repeat(30);
        HTTPResponse refused = redeem(flow, new ClientSecretBasic(new ClientID(acme.id()), new Secret(wrong)));
        assertError(refused, 401, "invalid_client");
        assertThat(refused.getBody()).doesNotContain(wrong).doesNotContain(acme.secret());
        assertError(redeem(flow, new ClientSecretPost(new ClientID(acme.id()), new Secret(wrong))), 401, "invalid_client");
        // another org's client and secret do not open acme's token endpoint either
        DemoIdentityProvider.Client globex = idp.client("globex").orElseThrow();
        assertError(redeem(flow, new ClientSecretBasic(new ClientID(globex.id()), new Secret(globex.secret()))),
                401, "invalid_client");
        // the code was never consumed: client authentication comes first
        assertThat(redeem(flow, basic()).getStatusCode()).isEqualTo(200);
    }

    @Test
    void noClientAuthenticationOrTwoMethodsAreRefused() throws Exception {
        Flow flow = startAndApprove("ben@acme.example");
        assertError(reply(idp.token("acme", null, form(flow, null), false)), 401, "invalid_client");
        Map<String, List<String>> both = form(flow, null);
        both.put("client_secret", List.of(acme.secret()));
        assertError(reply(idp.token("acme", basic().toHTTPAuthorizationHeader(), both, false)), 400, "invalid_request");
        assertError(reply(idp.token("acme", "Bearer " + acme.secret(), form(flow, null), false)), 401, "invalid_client");
    }

    @Test
    void aWrongRedirectUriIsRefused() throws Exception {
        Flow flow = startAndApprove("ben@acme.example");
        Flow elsewhere = new Flow(flow.code, flow.state, flow.nonce, flow.verifier,
                URI.create(PUBLIC_URL + "/oidc/globex/callback"));
        assertError(redeem(elsewhere, basic()), 400, "invalid_grant");
    }

    @Test
    void anExpiredCodeIsRefused() throws Exception {
        Flow flow = startAndApprove("ben@acme.example");
        clock.advance(Duration.ofSeconds(60));
        assertError(redeem(flow, basic()), 400, "invalid_grant");
    }

    @Test
    void aCodeJustBeforeItsMinuteIsStillGood() throws Exception {
        Flow flow = startAndApprove("ben@acme.example");
        clock.advance(Duration.ofSeconds(59));
        assertThat(redeem(flow, basic()).getStatusCode()).isEqualTo(200);
    }

    @Test
    void anotherOrgsTokenEndpointDoesNotRedeemTheCode() throws Exception {
        Flow flow = startAndApprove("ben@acme.example");
        DemoIdentityProvider.Client globex = idp.client("globex").orElseThrow();
        Map<String, List<String>> form = form(flow, null);
        String header = new ClientSecretBasic(new ClientID(globex.id()), new Secret(globex.secret())).toHTTPAuthorizationHeader();
        assertError(reply(idp.token("globex", header, form, false)), 400, "invalid_grant");
    }

    @Test
    void onlyTheAuthorizationCodeGrantAndFormBodiesAreAccepted() throws Exception {
        Flow flow = startAndApprove("ben@acme.example");
        Map<String, List<String>> form = form(flow, null);
        form.put("grant_type", List.of("client_credentials"));
        assertError(reply(idp.token("acme", basic().toHTTPAuthorizationHeader(), form, false)), 400, "unsupported_grant_type");
        assertError(reply(idp.token("acme", basic().toHTTPAuthorizationHeader(), form(flow, null), true)), 400, "invalid_request");
        Map<String, List<String>> twice = form(flow, null);
        twice.put("code", List.of(flow.code.getValue(), flow.code.getValue()));
        assertError(reply(idp.token("acme", basic().toHTTPAuthorizationHeader(), twice, false)), 400, "invalid_request");
    }

    @Test
    void authorizationRequestsAreChecked() {
        Map<String, List<String>> good = authorizationParameters(new State(), new Nonce(), new CodeVerifier());
        assertThat(idp.checkAuthorization("acme", good).redirectUri()).isEqualTo(CALLBACK.toString());

        assertRefused(with(good, "client_id", "warden-demo-globex"), "client_id");
        assertRefused(without(good, "client_id"), "client_id");
        assertRefused(with(good, "redirect_uri", PUBLIC_URL + "/oidc/acme/callback/"), "redirect_uri");
        assertRefused(with(good, "redirect_uri", PUBLIC_URL + "/oidc/acme/callback?x=1"), "redirect_uri");
        assertRefused(with(good, "redirect_uri", "http://evil.example/oidc/acme/callback"), "redirect_uri");
        assertRefused(with(good, "response_type", "token"), "response_type");
        assertRefused(with(good, "scope", "email profile"), "scope");
        assertRefused(without(good, "state"), "state");
        assertRefused(without(good, "nonce"), "nonce");
        assertRefused(without(good, "code_challenge"), "code_challenge");
        assertRefused(with(good, "code_challenge", "short"), "code_challenge");
        assertRefused(with(good, "code_challenge_method", "plain"), "code_challenge_method");
        assertRefused(without(good, "code_challenge_method"), "code_challenge_method");
        Map<String, List<String>> twice = new HashMap<>(good);
        twice.put("state", List.of("a", "b"));
        assertRefused(twice, "state appears more than once");
        // the org's own client only, at the org's own issuer
        assertThatThrownBy(() -> idp.checkAuthorization("globex", good)).isInstanceOf(DemoIdentityProvider.Refused.class);
    }

    @Test
    void approvalNeedsOneOfTheOrgsPeopleAndAGoodRequest() {
        Map<String, List<String>> good = authorizationParameters(new State(), new Nonce(), new CodeVerifier());
        assertRefused(with(good, "person", "gus@globex.example"), "demo people");
        assertThatThrownBy(() -> idp.approve("acme", good)).isInstanceOf(DemoIdentityProvider.Refused.class)
                .hasMessageContaining("demo people");
        Map<String, List<String>> badRequest = with(without(good, "nonce"), "person", "ben@acme.example");
        assertThatThrownBy(() -> idp.approve("acme", badRequest)).isInstanceOf(DemoIdentityProvider.Refused.class)
                .hasMessageContaining("nonce");
    }

    @Test
    void theApprovalRedirectCarriesTheCodeAndTheStateEncoded() {
        State state = new State("a b&c=d");
        Map<String, List<String>> params = with(authorizationParameters(state, new Nonce(), new CodeVerifier()),
                "person", "cara@acme.example");
        URI redirect = idp.approve("acme", params);
        assertThat(redirect.toString()).startsWith(CALLBACK + "?code=");
        Map<String, List<String>> query = URLUtils.parseParameters(redirect.getRawQuery());
        assertThat(query.get("state")).containsExactly("a b&c=d");
        assertThat(query.get("code")).singleElement().asString().hasSizeGreaterThanOrEqualTo(43);
    }

    @Test
    void theOrgsPeopleAreTheDemosWithTheirStoredEmails() {
        assertThat(idp.people("acme")).extracting(DemoIdentityProvider.Person::email)
                .containsExactly("ava@acme.example", "ben@acme.example", "cara@acme.example", "dan@acme.example");
        assertThat(idp.people("globex")).extracting(DemoIdentityProvider.Person::email)
                .containsExactly("gwen@globex.example", "gus@globex.example", "gia@globex.example");
        assertThat(idp.people("acme").getFirst().role()).isEqualTo("ORG_ADMIN");
        assertThat(idp.people("acme").get(1).role()).isEqualTo("MEMBER, QUERIER");
        assertThat(idp.slugs()).containsExactlyInAnyOrder("acme", "globex");
        assertThat(idp.serves("initech")).isFalse();
    }

    @Test
    void clientSecretsAreRandomPerStartAndNeverPrinted() {
        DemoIdentityProvider other = new DemoIdentityProvider(PUBLIC_URL, clock);
        assertThat(other.client("acme").orElseThrow().secret()).isNotEqualTo(acme.secret());
        assertThat(acme.secret()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(acme.toString()).doesNotContain(acme.secret()).contains("warden-demo-acme");
    }

    // --- the relying party's side, as Warden's sign-in builds it ---

    record Flow(AuthorizationCode code, State state, Nonce nonce, CodeVerifier verifier, URI redirectUri) {}

    private Map<String, List<String>> authorizationParameters(State state, Nonce nonce, CodeVerifier verifier) {
        URI request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "email", "profile"),
                new ClientID(acme.id()), CALLBACK)
                .endpointURI(URI.create(ISSUER + "/authorize"))
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI();
        return new HashMap<>(URLUtils.parseParameters(request.getRawQuery()));
    }

    private Flow startAndApprove(String email) {
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        Map<String, List<String>> params = authorizationParameters(state, nonce, verifier);
        params.put("person", List.of(email));
        URI redirect = idp.approve("acme", params);
        Map<String, List<String>> query = URLUtils.parseParameters(redirect.getRawQuery());
        assertThat(query.get("state")).containsExactly(state.getValue());
        return new Flow(new AuthorizationCode(query.get("code").getFirst()), state, nonce, verifier, CALLBACK);
    }

    private ClientSecretBasic basic() {
        return new ClientSecretBasic(new ClientID(acme.id()), new Secret(acme.secret()));
    }

    private HTTPResponse redeem(Flow flow, ClientAuthentication auth) throws Exception {
        HTTPRequest request = new TokenRequest(URI.create(ISSUER + "/token"), auth,
                new AuthorizationCodeGrant(flow.code, flow.redirectUri, flow.verifier)).toHTTPRequest();
        Map<String, List<String>> form = URLUtils.parseParameters(request.getBody());
        return reply(idp.token("acme", request.getAuthorization(), form, false));
    }

    private Map<String, List<String>> form(Flow flow, ClientAuthentication auth) throws Exception {
        HTTPRequest request = new TokenRequest(URI.create(ISSUER + "/token"), auth == null ? basic() : auth,
                new AuthorizationCodeGrant(flow.code, flow.redirectUri, flow.verifier)).toHTTPRequest();
        return new HashMap<>(URLUtils.parseParameters(request.getBody()));
    }

    private static HTTPResponse reply(DemoIdentityProvider.TokenReply reply) throws Exception {
        HTTPResponse response = new HTTPResponse(reply.status());
        response.setContentType("application/json");
        response.setBody(reply.json());
        return response;
    }

    private static void assertError(HTTPResponse response, int status, String error) throws Exception {
        assertThat(response.getStatusCode()).isEqualTo(status);
        TokenResponse parsed = OIDCTokenResponseParser.parse(response);
        assertThat(parsed.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) parsed).getErrorObject().getCode()).isEqualTo(error);
    }

    private void assertRefused(Map<String, List<String>> params, String mentioning) {
        assertThatThrownBy(() -> idp.approve("acme", params.containsKey("person") ? params
                : with(params, "person", "ben@acme.example")))
                .isInstanceOf(DemoIdentityProvider.Refused.class).hasMessageContaining(mentioning);
        if (!mentioning.equals("demo people")) {
            assertThatThrownBy(() -> idp.checkAuthorization("acme", params))
                    .isInstanceOf(DemoIdentityProvider.Refused.class).hasMessageContaining(mentioning);
        }
    }

    private static Map<String, List<String>> with(Map<String, List<String>> params, String name, String value) {
        Map<String, List<String>> copy = new HashMap<>(params);
        copy.put(name, new ArrayList<>(List.of(value)));
        return copy;
    }

    private static Map<String, List<String>> without(Map<String, List<String>> params, String name) {
        Map<String, List<String>> copy = new HashMap<>(params);
        copy.remove(name);
        return copy;
    }
}
