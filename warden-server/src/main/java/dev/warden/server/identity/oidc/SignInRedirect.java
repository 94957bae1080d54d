package dev.warden.server.identity.oidc;

import java.net.URI;
import java.util.Objects;

/**
 * Where to send the browser ({@link #authorizationUrl}) and what to keep on the server until it
 * comes back ({@link #pending}).
 */
public record SignInRedirect(URI authorizationUrl, PendingSignIn pending) {
    public SignInRedirect {
        Objects.requireNonNull(authorizationUrl, "authorizationUrl is null");
        Objects.requireNonNull(pending, "pending is null");
    }

    @Override
    public String toString() {
        return "SignInRedirect[" + pending + "]"; // the URL carries the state, which is as good as a one-time password
    }
}
