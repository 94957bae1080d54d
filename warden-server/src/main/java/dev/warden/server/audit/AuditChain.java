package dev.warden.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a link's hash is computed: SHA-256 over the previous link's hash and every stored field
 * of the event, each field length-prefixed so that no two different events encode alike.
 * Changing any stored field, deleting a row or reordering rows breaks the chain at that point.
 */
final class AuditChain {
    /** The "previous hash" of an org's first event. */
    static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    static String hash(AuditEvent e) {
        StringBuilder canonical = new StringBuilder(256);
        for (Object field : new Object[] {
                e.prevHash(), e.orgId(), e.seq(), e.id(), e.occurredAt(), e.actorKind(), e.actorId(),
                e.actorLabel(), e.action(), e.outcome(), e.targetType(), e.targetId(), e.requestId(),
                e.details()}) {
            String text = field == null ? "\u0000null" : field.toString();
            canonical.append(text.length()).append(':').append(text).append('\n');
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e1) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e1);
        }
    }
}
