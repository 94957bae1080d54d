package dev.warden.server.access;

import java.util.Objects;
import java.util.UUID;

/** The support grant an operator's request runs under: which one, how deep, why, and who. */
public record SupportGrantRef(UUID grantId, SupportScope scope, String reason, String operatorId) {
    public SupportGrantRef {
        Objects.requireNonNull(grantId, "grantId is null");
        Objects.requireNonNull(scope, "scope is null");
        Objects.requireNonNull(reason, "reason is null");
        Objects.requireNonNull(operatorId, "operatorId is null");
    }
}
