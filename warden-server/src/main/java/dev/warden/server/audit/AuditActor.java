package dev.warden.server.audit;

import dev.warden.server.access.AccessContext;
import java.util.Objects;
import java.util.Optional;

/**
 * Who did something, as written into the audit log. Besides the actor kinds of an access
 * context there are {@code SYSTEM} (Warden itself, the bootstrap command) and {@code ANONYMOUS}
 * (a request that failed to authenticate).
 */
public record AuditActor(String kind, Optional<String> id, String label) {
    public AuditActor {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(label, "label is null");
    }

    public static AuditActor of(AccessContext context) {
        return new AuditActor(
                context.actorKind().name(),
                // an operator is named by their real identity, never as a person of the org
                context.supportGrant().map(g -> g.operatorId()).or(() -> context.userId().map(Object::toString)),
                context.actorLabel());
    }

    public static AuditActor system(String label) {
        return new AuditActor("SYSTEM", Optional.empty(), label);
    }

    public static AuditActor anonymous() {
        return new AuditActor("ANONYMOUS", Optional.empty(), "unauthenticated caller");
    }
}
