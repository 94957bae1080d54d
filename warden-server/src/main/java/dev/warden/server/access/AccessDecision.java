package dev.warden.server.access;

import java.util.Objects;

/** The outcome of an authorization check, with the reason it explains itself with. */
public record AccessDecision(boolean granted, String reason) {
    public AccessDecision {
        Objects.requireNonNull(reason, "reason is null");
    }

    static AccessDecision grant(String reason) {
        return new AccessDecision(true, reason);
    }

    static AccessDecision deny(String reason) {
        return new AccessDecision(false, reason);
    }
}
