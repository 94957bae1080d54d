package dev.warden.server.identity;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A personal API key, as stored: never its secret, only the secret's SHA-256. {@code toString}
 * leaves even the hash out.
 */
public record ApiKey(UUID id, OrgId orgId, UserId userId, String name, String lookupId, byte[] secretHash,
                     Instant createdAt, Optional<Instant> expiresAt, Optional<Instant> lastUsedAt,
                     Optional<Instant> revokedAt) {

    public enum State { ACTIVE, EXPIRED, REVOKED }

    public State state(Instant now) {
        if (revokedAt.isPresent()) {
            return State.REVOKED;
        }
        if (expiresAt.isPresent() && !now.isBefore(expiresAt.get())) {
            return State.EXPIRED;
        }
        return State.ACTIVE;
    }

    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", org=" + orgId + ", user=" + userId + ", prefix=wdn_" + lookupId + "]";
    }
}
