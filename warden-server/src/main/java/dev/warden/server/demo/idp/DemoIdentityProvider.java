package dev.warden.server.demo.idp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.warden.server.demo.DemoOrgs;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A demo-only OpenID provider, one issuer per demo org ({@code {public-url}/demo-idp/{slug}}),
 * so that a newcomer can sign in to the demo in a browser as any of the demo people. It is the
 * authorization code flow with PKCE (S256) and nothing else: one confidential client per org
 * ({@code warden-demo-{slug}}, a secret made at start), codes that live 60 seconds and work once,
 * RS256 ID tokens signed with a key made at start and held in memory only.
 *
 * <p><b>Not an identity provider for anything real.</b> It authenticates nobody: whoever reaches
 * its page picks a person. That is why it exists only with the demo on the embedded store
 * ({@link DemoIdpRuns}) and answers loopback callers only ({@code DemoIdpController}).
 *
 * <p>This class holds the protocol and no HTTP: the controller hands it parameters as sent.
 * Error messages never repeat a request's values or a secret.
 */
@Component
@DemoIdpRuns
public final class DemoIdentityProvider {
    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
    /** Codes waiting to be redeemed, at most; a flood of approvals cannot grow memory without bound. */
    static final int MAX_PENDING_CODES = 1_000;
    static final List<String> SCOPES = List.of("openid", "email", "profile");
    static final List<String> CLAIMS = List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "email",
            "email_verified", "name", "amr", "groups");
    /** RFC 6749 appendix A VSCHAR, bounded: what state, nonce and scope may hold. */
    private static final Pattern VISIBLE = Pattern.compile("[\\x20-\\x7E]{1,1024}");
    /** RFC 7636 section 4.1 (verifier) and 4.2 (an S256 challenge is 43 such characters). */
    private static final Pattern PKCE_VALUE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final int MAX_CODE_CHARS = 256;

    /** The OAuth client of one demo org, as the relying party's settings must name it. */
    public record Client(String id, String secret) {
        public Client {
            Objects.requireNonNull(id, "id is null");
            Objects.requireNonNull(secret, "secret is null");
        }

        @Override
        public String toString() {
            return "Client[id=" + id + ", secret=redacted]";
        }
    }

    /** Someone who can be picked on the sign-in page. */
    record Person(String name, String email, String role) {}

    /** An authorization request that passed every check; {@link #parameters()} replays it. */
    record AuthorizationRequest(String clientId, String redirectUri, String scope, String state, String nonce,
                                String codeChallenge) {
        Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("client_id", clientId);
            p.put("redirect_uri", redirectUri);
            p.put("response_type", "code");
            p.put("scope", scope);
            p.put("state", state);
            p.put("nonce", nonce);
            p.put("code_challenge", codeChallenge);
            p.put("code_challenge_method", "S256");
            return p;
        }
    }

    /** An authorization request refused; the message is safe to show (it repeats nothing sent). */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** A token endpoint answer: the HTTP status and the JSON body (a token or an OAuth error). */
    record TokenReply(int status, String json) {}

    private record IssuedCode(String slug, String clientId, String redirectUri, String scope, String nonce,
                              String codeChallenge, Person person, Instant authTime, Instant expiresAt) {}

    private static final class TokenError extends RuntimeException {
        private final ErrorObject error;

        TokenError(ErrorObject error, String description) {
            super(description, null, false, false);
            this.error = error.setDescription(description);
        }
    }

    private final String publicUrl;
    private final Map<String, List<Person>> people;
    private final Map<String, Client> clients;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final RSAKey signingKey;
    private final JWSSigner signer;
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();

    @Autowired
    public DemoIdentityProvider(@Value("${warden.public-url:http://localhost:8080}") String publicUrl, Clock clock) {
        this(publicUrl, demoPeople(), clock);
    }

    DemoIdentityProvider(String publicUrl, Map<String, List<Person>> people, Clock clock) {
        Objects.requireNonNull(publicUrl, "publicUrl is null");
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.people = Map.copyOf(people);
        this.clock = Objects.requireNonNull(clock, "clock is null");
        Map<String, Client> made = new LinkedHashMap<>();
        people.keySet().forEach(slug -> made.put(slug, new Client("warden-demo-" + slug, randomToken())));
        this.clients = Map.copyOf(made);
        try {
            this.signingKey = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).generate();
            this.signer = new RSASSASigner(signingKey);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make the demo identity provider's signing key", e);
        }
    }

    /** The demo orgs of demo/README.md and their people, as {@code DemoOrgs} creates them. */
    static Map<String, List<Person>> demoPeople() {
        Map<String, List<Person>> all = new LinkedHashMap<>();
        for (String slug : List.of("acme", "globex")) {
            all.put(slug, DemoOrgs.plan(slug).stream()
                    .map(p -> new Person(p.name(), p.email(slug),
                            p.orgRole() + (p.connectionRole() == null ? "" : ", " + p.connectionRole())))
                    .toList());
        }
        return all;
    }

    /** The org slugs this provider serves. */
    public Set<String> slugs() {
        return clients.keySet();
    }

    public boolean serves(String slug) {
        return clients.containsKey(slug);
    }

    /** The issuer of an org, exactly as its discovery document and ID tokens say it. */
    public String issuer(String slug) {
        requireServed(slug);
        return publicUrl + "/demo-idp/" + slug;
    }

    /** The client Warden's relying party must use for the org; the secret changes at every start. */
    public Optional<Client> client(String slug) {
        return Optional.ofNullable(clients.get(slug));
    }

    /** The only redirect URI the org's client may use: Warden's own OIDC callback for the org. */
    String redirectUri(String slug) {
        requireServed(slug);
        return publicUrl + "/oidc/" + slug + "/callback";
    }

    URI authorizationEndpoint(String slug) {
        return URI.create(issuer(slug) + "/authorize");
    }

    List<Person> people(String slug) {
        requireServed(slug);
        return people.get(slug);
    }

    /** The OpenID Provider Metadata (discovery document) of an org's issuer, as JSON. */
    String discovery(String slug) {
        String issuer = issuer(slug);
        OIDCProviderMetadata m = new OIDCProviderMetadata(new Issuer(issuer), List.of(SubjectType.PUBLIC),
                URI.create(issuer + "/jwks"));
        m.setAuthorizationEndpointURI(authorizationEndpoint(slug));
        m.setTokenEndpointURI(URI.create(issuer + "/token"));
        m.setResponseTypes(List.of(ResponseType.CODE));
        m.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE));
        m.setIDTokenJWSAlgs(List.of(JWSAlgorithm.RS256));
        m.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        m.setTokenEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST));
        m.setScopes(new Scope(SCOPES.toArray(String[]::new)));
        m.setClaims(CLAIMS);
        m.setSupportsRequestURIParam(false); // Nimbus says true unless told: no request objects here
        return m.toJSONObject().toJSONString();
    }

    /** The public signing key, as a JWK set. */
    String jwks() {
        return new JWKSet(signingKey.toPublicJWK()).toString(true);
    }

    /**
     * Checks an authorization request (OIDC Core 3.1.2.1) as this provider accepts it: the org's
     * client, Warden's callback exactly, {@code response_type=code}, the {@code openid} scope,
     * a state, a nonce and an S256 code challenge.
     *
     * @throws Refused naming the first problem
     */
    AuthorizationRequest checkAuthorization(String slug, Map<String, List<String>> params) {
        requireServed(slug);
        // The client and redirect URI first: until both are known good, nothing may be sent back to the client.
        if (!clients.get(slug).id().equals(single(params, "client_id"))) {
            throw new Refused("client_id is missing or is not this org's demo client");
        }
        String redirectUri = single(params, "redirect_uri");
        if (!redirectUri(slug).equals(redirectUri)) {
            throw new Refused("redirect_uri is missing or is not Warden's callback for this org");
        }
        if (!"code".equals(single(params, "response_type"))) {
            throw new Refused("response_type must be code");
        }
        String scope = single(params, "scope");
        if (scope == null || !VISIBLE.matcher(scope).matches() || !List.of(scope.split(" ")).contains("openid")) {
            throw new Refused("scope must include openid");
        }
        String state = single(params, "state");
        if (state == null || !VISIBLE.matcher(state).matches()) {
            throw new Refused("state is required (1 to 1024 visible characters)");
        }
        String nonce = single(params, "nonce");
        if (nonce == null || !VISIBLE.matcher(nonce).matches()) {
            throw new Refused("nonce is required (1 to 1024 visible characters)");
        }
        String challenge = single(params, "code_challenge");
        if (challenge == null || !PKCE_VALUE.matcher(challenge).matches()) {
            throw new Refused("code_challenge is required (PKCE, RFC 7636)");
        }
        if (!"S256".equals(single(params, "code_challenge_method"))) {
            throw new Refused("code_challenge_method must be S256");
        }
        return new AuthorizationRequest(clients.get(slug).id(), redirectUri, scope, state, nonce, challenge);
    }

    /**
     * The person picked on the page signs in: re-checks the whole request, issues a single-use
     * code bound to it and to the person, and answers where to send the browser.
     *
     * @throws Refused when the request or the person is not acceptable, or too many codes wait
     */
    URI approve(String slug, Map<String, List<String>> params) {
        AuthorizationRequest request = checkAuthorization(slug, params);
        String email = single(params, "person");
        Person person = people.get(slug).stream().filter(p -> p.email().equals(email)).findFirst()
                .orElseThrow(() -> new Refused("pick one of this org's demo people"));
        Instant now = clock.instant();
        codes.values().removeIf(c -> !now.isBefore(c.expiresAt()));
        if (codes.size() >= MAX_PENDING_CODES) {
            throw new Refused("too many sign-ins are in progress; try again in a minute");
        }
        String code = randomToken();
        codes.put(code, new IssuedCode(slug, request.clientId(), request.redirectUri(), request.scope(), request.nonce(),
                request.codeChallenge(), person, now, now.plus(CODE_LIFETIME)));
        return URI.create(request.redirectUri() + "?code=" + form(code) + "&state=" + form(request.state()));
    }

    /**
     * The token endpoint (RFC 6749 4.1.3, RFC 7636 4.6): the org's client authenticates (Basic
     * or in the form, one of them), the code is consumed whatever follows, and it must have been
     * issued to this client for this redirect URI with a challenge the verifier matches.
     *
     * @param authorization the Authorization header, or null
     * @param form the form parameters
     * @param queryPresent whether the request had a query string (refused: parameters go in the body)
     */
    TokenReply token(String slug, String authorization, Map<String, List<String>> form, boolean queryPresent) {
        requireServed(slug);
        try {
            if (queryPresent) {
                throw new TokenError(OAuth2Error.INVALID_REQUEST, "token request parameters belong in the form body");
            }
            Client client = authenticate(slug, authorization, form);
            String grantType = tokenParameter(form, "grant_type");
            if (grantType == null) {
                throw new TokenError(OAuth2Error.INVALID_REQUEST, "grant_type is required");
            }
            if (!grantType.equals(GrantType.AUTHORIZATION_CODE.getValue())) {
                throw new TokenError(OAuth2Error.UNSUPPORTED_GRANT_TYPE, "only authorization_code is supported");
            }
            String code = tokenParameter(form, "code");
            if (code == null) {
                throw new TokenError(OAuth2Error.INVALID_REQUEST, "code is required");
            }
            // Removed before any other check: a code is presented once, whatever the outcome.
            IssuedCode issued = code.length() > MAX_CODE_CHARS ? null : codes.remove(code);
            Instant now = clock.instant();
            if (issued == null || !now.isBefore(issued.expiresAt())) {
                throw new TokenError(OAuth2Error.INVALID_GRANT, "the code is unknown, used or expired");
            }
            if (!issued.slug().equals(slug) || !issued.clientId().equals(client.id())) {
                throw new TokenError(OAuth2Error.INVALID_GRANT, "the code was issued to another client");
            }
            if (!issued.redirectUri().equals(tokenParameter(form, "redirect_uri"))) {
                throw new TokenError(OAuth2Error.INVALID_GRANT, "redirect_uri is not the one of the authorization request");
            }
            String verifier = tokenParameter(form, "code_verifier");
            if (verifier == null || !PKCE_VALUE.matcher(verifier).matches()) {
                throw new TokenError(OAuth2Error.INVALID_GRANT, "code_verifier is missing or malformed");
            }
            String challenge = base64Url(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
            if (!MessageDigest.isEqual(challenge.getBytes(StandardCharsets.US_ASCII),
                    issued.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
                throw new TokenError(OAuth2Error.INVALID_GRANT, "code_verifier does not match the code_challenge");
            }
            SignedJWT idToken = idToken(slug, client, issued, now);
            BearerAccessToken accessToken = new BearerAccessToken(randomToken(), TOKEN_LIFETIME.toSeconds(),
                    Scope.parse(issued.scope()));
            return new TokenReply(200, new OIDCTokenResponse(new OIDCTokens(idToken, accessToken, null))
                    .toJSONObject().toJSONString());
        } catch (TokenError e) {
            return new TokenReply(e.error.getHTTPStatusCode(), new TokenErrorResponse(e.error).toJSONObject().toJSONString());
        }
    }

    private Client authenticate(String slug, String authorization, Map<String, List<String>> form) {
        String formId = tokenParameter(form, "client_id");
        String formSecret = tokenParameter(form, "client_secret");
        String id;
        String secret;
        if (authorization != null) {
            if (formSecret != null) {
                throw new TokenError(OAuth2Error.INVALID_REQUEST, "use one client authentication method, not two");
            }
            ClientSecretBasic basic;
            try {
                basic = ClientSecretBasic.parse(authorization);
            } catch (ParseException e) {
                throw new TokenError(OAuth2Error.INVALID_CLIENT, "client authentication failed");
            }
            id = basic.getClientID().getValue();
            secret = basic.getClientSecret().getValue();
            if (formId != null && !formId.equals(id)) {
                throw new TokenError(OAuth2Error.INVALID_CLIENT, "client authentication failed");
            }
        } else if (formId != null && formSecret != null) {
            id = formId;
            secret = formSecret;
        } else {
            throw new TokenError(OAuth2Error.INVALID_CLIENT, "client authentication is required");
        }
        Client client = clients.get(slug);
        // Both compared in full either way; the secrets as digests, so their lengths leak nothing either.
        boolean idMatches = client.id().equals(id);
        boolean secretMatches = MessageDigest.isEqual(sha256(secret.getBytes(StandardCharsets.UTF_8)),
                sha256(client.secret().getBytes(StandardCharsets.UTF_8)));
        if (!(idMatches & secretMatches)) {
            throw new TokenError(OAuth2Error.INVALID_CLIENT, "client authentication failed");
        }
        return client;
    }

    private SignedJWT idToken(String slug, Client client, IssuedCode issued, Instant now) {
        Person person = issued.person();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer(slug))
                .subject(subject(slug, person.email()))
                .audience(client.id())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .claim("auth_time", Date.from(issued.authTime()))
                .claim("nonce", issued.nonce())
                .claim("email", person.email())
                .claim("email_verified", true)
                .claim("name", person.name())
                .claim("amr", List.of("pwd"))
                .claim("groups", List.of()) // the demo orgs have no groups
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a demo ID token", e);
        }
        return jwt;
    }

    /** Stable across restarts and data directories, and the same for a person whatever their user id. */
    static String subject(String slug, String email) {
        return base64Url(sha256(("warden-demo-idp\n" + slug + "\n" + email).getBytes(StandardCharsets.UTF_8)));
    }

    private void requireServed(String slug) {
        if (!serves(slug)) {
            throw new IllegalArgumentException("the demo identity provider serves no org of that slug");
        }
    }

    /** A parameter's one value; null when absent. OAuth parameters must not repeat (RFC 6749 3.1). */
    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new Refused(name + " appears more than once");
        }
        String value = values.getFirst();
        return value == null || value.isEmpty() ? null : value;
    }

    private static String tokenParameter(Map<String, List<String>> form, String name) {
        try {
            return single(form, name);
        } catch (Refused e) {
            throw new TokenError(OAuth2Error.INVALID_REQUEST, e.getMessage());
        }
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return base64Url(bytes);
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
