package dev.warden.server.identity.oidc;

import dev.warden.server.access.OrgId;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A sign-in that was sent to the identity provider and has not come back yet. The caller keeps
 * it on the server (keyed by {@link #state}) and hands it back to {@link OidcSignIn#complete}
 * once, then deletes it. The PKCE code verifier and the nonce never leave the server; only the
 * state and the verifier's S256 challenge travel in the authorization URL.
 *
 * @param org the org whose settings started the sign-in
 * @param state random, 256 bits, base64url; echoed by the provider in the callback
 * @param nonce random, 256 bits, base64url; must come back inside the ID token
 * @param codeVerifier the PKCE verifier (RFC 7636: 43 to 128 unreserved characters)
 * @param redirectUri where the provider sends the browser back; the token request repeats it
 * @param createdAt when the sign-in started; it expires after {@link OidcSignIn#MAX_PENDING_AGE}
 */
public record PendingSignIn(OrgId org, String state, String nonce, String codeVerifier, URI redirectUri,
                            Instant createdAt) {
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    private static final Pattern RANDOM_VALUE = Pattern.compile("[A-Za-z0-9\\-_]{22,128}");

    public PendingSignIn {
        Objects.requireNonNull(org, "org is null");
        Objects.requireNonNull(redirectUri, "redirectUri is null");
        Objects.requireNonNull(createdAt, "createdAt is null");
        if (state == null || !RANDOM_VALUE.matcher(state).matches()) {
            throw new IllegalArgumentException("state must be at least 128 random bits, base64url");
        }
        if (nonce == null || !RANDOM_VALUE.matcher(nonce).matches()) {
            throw new IllegalArgumentException("nonce must be at least 128 random bits, base64url");
        }
        if (codeVerifier == null || !VERIFIER.matcher(codeVerifier).matches()) {
            throw new IllegalArgumentException("a PKCE code verifier of 43 to 128 characters is required");
        }
    }

    @Override
    public String toString() {
        return "PendingSignIn[org=" + org + ", redirectUri=" + redirectUri + ", createdAt=" + createdAt + "]";
    }
}
