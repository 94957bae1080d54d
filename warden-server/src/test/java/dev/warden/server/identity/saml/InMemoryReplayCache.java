package dev.warden.server.identity.saml;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ReplayCache} in memory, for tests: one node only, never pruned. */
public final class InMemoryReplayCache implements ReplayCache {
    private final ConcurrentHashMap<String, Instant> seen = new ConcurrentHashMap<>();

    @Override
    public boolean firstSeen(String assertionId, Instant notOnOrAfter) {
        return seen.putIfAbsent(assertionId, notOnOrAfter) == null;
    }
}
