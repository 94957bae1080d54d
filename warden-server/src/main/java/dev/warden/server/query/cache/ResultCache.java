package dev.warden.server.query.cache;

import dev.warden.server.access.OrgId;
import java.time.Duration;
import java.util.Optional;

/**
 * Query results kept for a while, sealed with the org's CUSTOMER_DATA keyset. The key is built
 * by the caller from everything that decides a result (org, connection, model version, SQL text,
 * bind values, the person's policy); the cache adds the org to it again, so an entry is never
 * found under another org, and binds each ciphertext to its org and key, so that an entry file
 * copied elsewhere does not open.
 */
public interface ResultCache {
    Optional<CachedResult> get(OrgId org, String key);

    void put(OrgId org, String key, CachedResult result, Duration ttl);

    /** Drops every entry of an org (e.g. after its keys were rotated or on request). */
    void evictOrg(OrgId org);
}
