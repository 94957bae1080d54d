package dev.warden.server.identity.signin;

import java.util.Objects;

/**
 * A sign-in that does not let the person in. {@link #reason} is a stable name for the audit log;
 * {@link #publicMessage} is what the person is shown and never names another org, a secret, or
 * anything the identity provider sent.
 */
public final class SignInRefused extends RuntimeException {
    private final String reason;
    private final String publicMessage;
    private final int status;

    public SignInRefused(String reason, String publicMessage, int status) {
        super(reason, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason is null");
        this.publicMessage = Objects.requireNonNull(publicMessage, "publicMessage is null");
        this.status = status;
    }

    public String reason() {
        return reason;
    }

    public String publicMessage() {
        return publicMessage;
    }

    /** 400 for what the person or their browser can fix by starting again, 403 for a refusal, 503 for an unreachable IdP. */
    public int status() {
        return status;
    }
}
