package dev.warden.server.identity.saml;

import dev.warden.server.access.OrgId;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RequestIdStore} in memory, for tests: one node only. */
public final class InMemoryRequestIdStore implements RequestIdStore {
    private record Pending(OrgId org, Instant expiresAt) {}

    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

    @Override
    public void remember(OrgId org, String requestId, Instant expiresAt) {
        pending.put(requestId, new Pending(org, expiresAt));
    }

    @Override
    public boolean consume(OrgId org, String requestId, Instant now) {
        Pending[] removed = new Pending[1];
        pending.computeIfPresent(requestId, (id, p) -> {
            if (!p.org().equals(org)) {
                return p; // another org's request: neither reported nor removed
            }
            removed[0] = p;
            return null;
        });
        return removed[0] != null && now.isBefore(removed[0].expiresAt());
    }

    public boolean isPending(String requestId) {
        return pending.containsKey(requestId);
    }
}
