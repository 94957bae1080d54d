package dev.warden.server.support;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.SupportScope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Support access an org admin granted: how deep, until when, why, and to whom (empty: any operator). */
public record SupportGrant(UUID id, OrgId orgId, SupportScope scope, String reason, List<String> operators,
                           UUID createdBy, Instant createdAt, Instant expiresAt, Optional<Instant> revokedAt,
                           Optional<UUID> revokedBy) {
    public enum State { ACTIVE, EXPIRED, REVOKED }

    public SupportGrant {
        operators = List.copyOf(operators);
    }

    public State state(Instant now) {
        if (revokedAt.isPresent()) {
            return State.REVOKED;
        }
        return now.isBefore(expiresAt) ? State.ACTIVE : State.EXPIRED;
    }

    public boolean covers(String operatorId) {
        return operators.isEmpty() || operators.contains(operatorId);
    }
}
