package dev.warden.server.connections;

import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.OrgId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A warehouse connection of one org. The secret is sealed with the org's credentials keyset and
 * bound to this connection's id; {@code toString} leaves it out entirely. {@code version} grows
 * with every change, so that pools built from an older version are replaced.
 */
public record Connection(UUID id, OrgId orgId, String name, ConnectionType type, ConnectionSettings settings,
                         Optional<SecretKind> secretKind, Optional<byte[]> sealedSecret, ConnectionRole baseRole,
                         int version, Instant createdAt, Instant updatedAt) {

    /** What kind of secret a connection holds. */
    public enum SecretKind { PASSWORD, PRIVATE_KEY, TOKEN }

    /** The associated-data record name that binds a sealed secret to this connection. */
    public String secretRecord() {
        return "connection:" + id + ":secret";
    }

    @Override
    public String toString() {
        return "Connection[id=" + id + ", org=" + orgId + ", name=" + name + ", type=" + type + ", secret="
                + secretKind.map(k -> k + " (sealed)").orElse("none") + "]";
    }
}
