package dev.warden.server.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.warden.server.access.OrgId;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An org's access generation ({@code orgs.access_generation}), and node-local caches keyed by it.
 *
 * <p>Every repository write that can change what someone of the org may see or do (people, groups
 * and memberships, attributes and their values, connections, base roles and grants, models and
 * activations, API keys) calls {@link #changed}. The generation is then incremented in the same
 * transaction, as its last statement (just before commit, so that the {@code orgs} row is locked
 * last and for the shortest time, after the audit chain head: one lock order, no deadlock).
 *
 * <p>A request reads the generation with one indexed statement (folded into the API key lookup,
 * or {@link #current}), and looks up derived data (attribute values, defaults, active models,
 * grants) in {@link Scoped} caches keyed by (org, generation). Several nodes share the metadata
 * store: a change committed by any of them moves the generation, so the very next request on
 * every node misses its cache and reads the new state; no TTL is involved.
 *
 * <p>Why it is safe: data loaded after reading generation G is at least as new as G (it is read
 * afterwards, committed data only), so an entry under G is never older than G. A transaction
 * that has itself changed the org sees uncommitted data; it never reads or fills the caches of
 * that org ({@link #changedInThisTransaction}), so a rolled-back change can never be cached.
 */
@Component
public class AccessGenerations {
    private final JdbcClient jdbc;

    public AccessGenerations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The org's current generation; -1 for an org that does not exist (caches nothing useful). */
    public long current(OrgId org) {
        return jdbc.sql("SELECT access_generation FROM orgs WHERE id = ?")
                .param(org.value())
                .query(Long.class)
                .optional()
                .orElse(-1L);
    }

    /**
     * Records that the current transaction changed something that decides access in the org: the
     * generation moves when it commits. Outside a transaction, it moves at once.
     */
    public void changed(OrgId org) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            bump(org);
            return;
        }
        Pending pending = pending();
        if (pending == null) {
            pending = new Pending();
            TransactionSynchronizationManager.registerSynchronization(pending);
        }
        pending.orgs.add(org);
    }

    /** Whether the current transaction has changed the org (and so sees data not yet committed). */
    public boolean changedInThisTransaction(OrgId org) {
        Pending pending = pending();
        return pending != null && pending.orgs.contains(org);
    }

    private void bump(OrgId org) {
        jdbc.sql("UPDATE orgs SET access_generation = access_generation + 1 WHERE id = ?").param(org.value()).update();
    }

    private static Pending pending() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
            if (s instanceof Pending p) {
                return p;
            }
        }
        return null;
    }

    /** The orgs a transaction changed; their generations move just before it commits. */
    private final class Pending implements TransactionSynchronization {
        final Set<OrgId> orgs = new LinkedHashSet<>();

        @Override
        public int getOrder() {
            return LOWEST_PRECEDENCE; // after any other work done before commit
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            orgs.forEach(AccessGenerations.this::bump);
        }
    }

    /** A new node-local cache of data derived from an org's access state. */
    public <K, V> Scoped<K, V> cache(long maximumSize) {
        return new Scoped<>(this, maximumSize);
    }

    /** Values keyed by (org, generation, key); entries of older generations are simply never asked for again. */
    public static final class Scoped<K, V> {
        private record Key(OrgId org, long generation, Object key) {}

        private final AccessGenerations generations;
        private final Cache<Key, V> cache;

        private Scoped(AccessGenerations generations, long maximumSize) {
            this.generations = generations;
            this.cache = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterAccess(Duration.ofMinutes(10))
                    .build();
        }

        /**
         * The value for the key in this generation of the org, loaded on a miss. The value must be
         * immutable: it is shared by every request of the generation.
         */
        public V get(OrgId org, long generation, K key, Supplier<V> loader) {
            if (generation < 0 || generations.changedInThisTransaction(org)) {
                return loader.get();
            }
            return cache.get(new Key(org, generation, key), k -> loader.get());
        }

        /** For tests: drops every entry. */
        public void clear() {
            cache.invalidateAll();
        }
    }
}
