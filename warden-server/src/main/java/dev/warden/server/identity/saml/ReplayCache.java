package dev.warden.server.identity.saml;

import java.time.Instant;

/**
 * Assertion ids already accepted. Backed by the metadata store in production so that it holds across
 * nodes; {@link #firstSeen} must be atomic (an insert that fails on a duplicate key).
 */
public interface ReplayCache {
    /**
     * Records {@code assertionId} until {@code notOnOrAfter} and reports whether it was unknown. Entries may
     * be dropped after {@code notOnOrAfter}: by then the validator refuses the assertion as expired.
     */
    boolean firstSeen(String assertionId, Instant notOnOrAfter);
}
