package dev.warden.server.audit;

import dev.warden.server.access.OrgId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends events to an org's hash-chained audit log.
 *
 * <p>{@link #append} joins the caller's transaction, so an event is committed together with the
 * change it describes, or not at all. {@link #appendAlone} commits on its own: for denials and
 * failed sign-ins, whose request is about to fail and roll back.
 *
 * <p>Each append locks the org's chain head row ({@code SELECT ... FOR UPDATE}), so concurrent
 * writers of one org queue up and each links to the one before: the chain never forks. Writers
 * of different orgs never wait for each other.
 *
 * <p><b>Group commit.</b> {@link #appendAlone} (one event per query, denials) is called by many
 * requests of one org at once. Rather than each taking the head lock in its own transaction,
 * concurrent callers of one org hand their records to the org's {@link Batcher}: whoever gets
 * the batcher first (the leader) takes every record queued so far, and in ONE transaction locks
 * the head once, links and inserts them in order, moves the head and commits; the others wait
 * meanwhile, and find their event committed (or the next of them leads the next batch). Every
 * caller returns only once its own event is committed, exactly as before: nothing is
 * fire-and-forget, and the database lock still orders writers of several nodes. If the store
 * refuses a batch, its records are retried one by one, so that one faulty record fails only its
 * own caller.
 */
@Service
public final class AuditLog {
    private final AuditRepository repository;
    private final TransactionTemplate joinOrBegin;
    private final TransactionTemplate alone;
    private final Clock clock;
    private final JsonMapper canonicalJson = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    private final ConcurrentHashMap<OrgId, Batcher> batchers = new ConcurrentHashMap<>();
    private final AtomicLong batchesCommitted = new AtomicLong();

    /** At most this many events go in one transaction. */
    static final int MAX_BATCH = 256;

    public AuditLog(AuditRepository repository, PlatformTransactionManager transactions, Clock clock) {
        this.repository = repository;
        this.joinOrBegin = new TransactionTemplate(transactions);
        this.alone = new TransactionTemplate(transactions);
        this.alone.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /** Appends within the caller's transaction (or a new one if there is none). */
    public AuditEvent append(OrgId org, AuditRecord record) {
        return joinOrBegin.execute(status -> link(org, record));
    }

    /**
     * Appends and commits in a transaction of its own, whatever happens to the caller's
     * transaction; returns once the event is committed. Concurrent calls for one org are
     * committed together (group commit, see above).
     */
    public AuditEvent appendAlone(OrgId org, AuditRecord record) {
        // The caller may be interrupted at any moment (a request whose client left: Spring cancels
        // its task), and on a virtual thread an interrupt closes the metadata store's socket under
        // the insert, losing this event and, for a batch leader, everyone else's. So the event is
        // written by a thread of its own that nobody can interrupt, and the caller waits for it
        // without giving up (join keeps the caller's interrupt for afterwards).
        java.util.concurrent.CompletableFuture<AuditEvent> written = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("audit-append").start(() -> {
            try {
                written.complete(appendAloneUninterrupted(org, record));
            } catch (Throwable e) {
                written.completeExceptionally(e);
            }
        });
        try {
            return written.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private AuditEvent appendAloneUninterrupted(OrgId org, AuditRecord record) {
        String details = canonicalJson.writeValueAsString(record.details()); // the caller's own failure, before queueing
        Pending pending = new Pending(record, details);
        Batcher batcher = batchers.computeIfAbsent(org, o -> new Batcher());
        batcher.queue.add(pending);
        batcher.lock.lock();
        try {
            while (!pending.done) {
                List<Pending> batch = new ArrayList<>();
                for (Pending p; batch.size() < MAX_BATCH && (p = batcher.queue.poll()) != null; ) {
                    batch.add(p);
                }
                if (batch.isEmpty()) { // cannot happen: a record leaves the queue only into a batch that settles it
                    pending.failure = new IllegalStateException("audit record lost before its batch");
                    break;
                }
                commit(org, batch);
            }
        } finally {
            batcher.lock.unlock();
        }
        if (pending.failure != null) {
            throw pending.failure;
        }
        return pending.event;
    }

    /** One record waiting for its batch; written by the leader under the batcher's lock, read after it. */
    private static final class Pending {
        final AuditRecord record;
        final String details;
        AuditEvent event;
        RuntimeException failure;
        boolean done;

        Pending(AuditRecord record, String details) {
            this.record = record;
            this.details = details;
        }
    }

    /** An org's queue of records for {@link #appendAlone}, and the lock its leader holds. */
    private static final class Batcher {
        final ReentrantLock lock = new ReentrantLock();
        final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    }

    private void commit(OrgId org, List<Pending> batch) {
        try {
            List<AuditEvent> events = alone.execute(status -> {
                AuditRepository.Head head = repository.lockHead(org);
                List<AuditEvent> linked = new ArrayList<>(batch.size());
                for (Pending p : batch) {
                    AuditEvent event = seal(org, p.record, p.details, head);
                    repository.insert(event);
                    linked.add(event);
                    head = new AuditRepository.Head(event.seq(), event.hash());
                }
                repository.moveHead(org, head.seq(), head.hash());
                return linked;
            });
            batchesCommitted.incrementAndGet();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).event = events.get(i);
                batch.get(i).done = true;
            }
        } catch (RuntimeException | Error failure) {
            // A record the store refuses (non-transient) fails alone: the others are retried one by
            // one. A transient failure (lock timeout, lost connection) would only repeat: all fail.
            if (batch.size() == 1 || !(failure instanceof NonTransientDataAccessException)) {
                RuntimeException reported = failure instanceof RuntimeException r ? r
                        : new IllegalStateException("audit event not written", failure);
                for (Pending p : batch) {
                    p.failure = reported;
                    p.done = true;
                }
                return;
            }
            // One faulty record must not fail the others: each on its own, in order.
            for (Pending p : batch) {
                commit(org, List.of(p));
            }
        }
    }

    /** Transactions of {@link #appendAlone} committed so far (one per batch); for tests. */
    long batchesCommitted() {
        return batchesCommitted.get();
    }

    /** Records waiting for the org's next batch; for tests. */
    int queued(OrgId org) {
        Batcher b = batchers.get(org);
        return b == null ? 0 : b.queue.size();
    }

    private AuditEvent link(OrgId org, AuditRecord record) {
        AuditRepository.Head head = repository.lockHead(org);
        AuditEvent sealed = seal(org, record, canonicalJson.writeValueAsString(record.details()), head);
        repository.insert(sealed);
        repository.moveHead(org, sealed.seq(), sealed.hash());
        return sealed;
    }

    private AuditEvent seal(OrgId org, AuditRecord record, String details, AuditRepository.Head head) {
        // Microsecond precision: what every supported store keeps, so the hash re-computes.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        AuditEvent unsealed = new AuditEvent(
                UUID.randomUUID(), org.value(), head.seq() + 1, now,
                record.actor().kind(), record.actor().id().orElse(null), record.actor().label(),
                record.action(), record.outcome().name(),
                record.targetType().orElse(null), record.targetId().orElse(null),
                record.requestId().orElse(null),
                details,
                head.hash(), "");
        return withHash(unsealed, AuditChain.hash(unsealed));
    }

    private static AuditEvent withHash(AuditEvent e, String hash) {
        return new AuditEvent(e.id(), e.orgId(), e.seq(), e.occurredAt(), e.actorKind(), e.actorId(),
                e.actorLabel(), e.action(), e.outcome(), e.targetType(), e.targetId(), e.requestId(),
                e.details(), e.prevHash(), hash);
    }
}
