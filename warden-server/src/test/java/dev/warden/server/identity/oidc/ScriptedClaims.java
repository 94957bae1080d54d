package dev.warden.server.identity.oidc;

import com.nimbusds.oauth2.sdk.TokenRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * The claims the mock IdP puts into the next tokens it issues for one issuer id: each test sets
 * them, so that the provider itself (with its own key) signs whatever the test needs.
 */
final class ScriptedClaims implements OAuth2TokenCallback {
    private final String issuerId;
    private volatile String subject;
    private volatile Map<String, Object> claims;
    private volatile long expirySeconds;

    ScriptedClaims(String issuerId) {
        this.issuerId = issuerId;
        reset();
    }

    /** A person of acme.com with a verified email, a department and two groups. */
    void reset() {
        subject = "alice-subject";
        claims = new HashMap<>(Map.of(
                "email", "alice@acme.com",
                "email_verified", true,
                "name", "Alice Analyst",
                "department", "finance",
                "groups", List.of("analysts", "emea"),
                "amr", List.of("pwd")));
        expirySeconds = 3600;
    }

    /** Sets (or with {@code null}, removes) a claim; standard ones such as iss, aud, nonce or exp override the mock's. */
    ScriptedClaims set(String name, Object value) {
        Map<String, Object> next = new HashMap<>(claims);
        if (value == null) {
            next.remove(name);
        } else {
            next.put(name, value);
        }
        claims = next;
        return this;
    }

    ScriptedClaims expiresIn(long seconds) {
        expirySeconds = seconds;
        return this;
    }

    @Override
    public String issuerId() {
        return issuerId;
    }

    @Override
    public String subject(TokenRequest tokenRequest) {
        return subject;
    }

    @Override
    public String typeHeader(TokenRequest tokenRequest) {
        return "JWT";
    }

    @Override
    public List<String> audience(TokenRequest tokenRequest) {
        return List.of("warden-api"); // the access token's; the ID token's audience is the client id
    }

    @Override
    public Map<String, Object> addClaims(TokenRequest tokenRequest) {
        return claims;
    }

    @Override
    public long tokenExpiry() {
        return expirySeconds;
    }
}
