package dev.warden.server.identity;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A presented, not yet checked API key. Its {@code toString} never shows the key. */
final class ApiKeyCredentials extends AbstractAuthenticationToken {
    private final String presented;
    private final String requestId;

    ApiKeyCredentials(String presented, String requestId) {
        super(List.of());
        this.presented = presented;
        this.requestId = requestId;
        setAuthenticated(false);
    }

    String requestId() {
        return requestId;
    }

    @Override
    public Object getCredentials() {
        return presented;
    }

    @Override
    public Object getPrincipal() {
        return "api-key";
    }

    @Override
    public void eraseCredentials() {
        // the presented key is dropped with the token object itself
    }

    @Override
    public String toString() {
        return "ApiKeyCredentials[redacted]";
    }
}
