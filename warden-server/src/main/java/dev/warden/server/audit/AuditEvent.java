package dev.warden.server.audit;

import java.time.Instant;
import java.util.UUID;

/** One stored link of an org's audit chain, exactly as persisted. */
public record AuditEvent(
        UUID id,
        UUID orgId,
        long seq,
        Instant occurredAt,
        String actorKind,
        String actorId,
        String actorLabel,
        String action,
        String outcome,
        String targetType,
        String targetId,
        String requestId,
        String details,
        String prevHash,
        String hash) {
}
