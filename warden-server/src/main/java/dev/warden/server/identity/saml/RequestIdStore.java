package dev.warden.server.identity.saml;

import dev.warden.server.access.OrgId;
import java.time.Instant;

/**
 * The AuthnRequest ids this deployment sent, each for one org, each usable once. Backed by the metadata
 * store in production so that a response may arrive at any node; {@link #consume} must be atomic (one
 * {@code DELETE ... WHERE org_id = ? AND id = ? AND expires_at > ?} that reports whether it deleted a row).
 */
public interface RequestIdStore {
    /** Records a request sent for {@code org}, usable until {@code expiresAt}. */
    void remember(OrgId org, String requestId, Instant expiresAt);

    /**
     * Removes and reports a request id sent for {@code org} that has not expired at {@code now}. An id sent
     * for another org is neither reported nor removed.
     */
    boolean consume(OrgId org, String requestId, Instant now);
}
