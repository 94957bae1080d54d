package dev.warden.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.server.access.OrgId;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit of {@link AuditLog#appendAlone}: concurrent events of one org share one
 * transaction (the head is locked once per batch), each caller returns only once its own event
 * is committed, the chain stays one unbroken line even with {@link AuditLog#append} writers in
 * between, and one faulty record fails only its own caller.
 */
class AuditGroupCommitTest extends ApiTest {
    @Autowired
    AuditLog auditLog;
    @Autowired
    AuditRepository repository;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    private static AuditRecord record(String action, int writer, int n) {
        return AuditRecord.of(AuditActor.system("writer-" + writer), action).details(Map.of("writer", writer, "n", n)).build();
    }

    private long committed(java.util.UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE id = ?").param(id).query(Long.class).single();
    }

    /** Every link of the org's chain, re-computed: contiguous seqs, each linked to the one before. */
    private List<AuditEvent> assertUnbrokenChain(OrgId org) {
        List<AuditEvent> all = repository.page(org, 0, 100_000);
        String previous = AuditChain.GENESIS;
        for (int i = 0; i < all.size(); i++) {
            AuditEvent e = all.get(i);
            assertThat(e.seq()).isEqualTo(i + 1);
            assertThat(e.prevHash()).isEqualTo(previous);
            assertThat(AuditChain.hash(e)).isEqualTo(e.hash());
            previous = e.hash();
        }
        assertThat(repository.head(org).orElseThrow().hash()).isEqualTo(previous);
        return all;
    }

    @Test
    void concurrentAloneAndJoinedWritersLeaveOneChainWithEveryEventOnce() throws Exception {
        Fixtures.TestOrg org = fixtures.org();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int w = 0; w < 8; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int n = 0; n < 200; n++) {
                        AuditRecord r = record("test.write", writer, n);
                        if (writer % 4 == 3) {
                            auditLog.append(org.id(), r); // an admin change's event, in its own transaction here
                        } else {
                            AuditEvent e = auditLog.appendAlone(org.id(), r);
                            // Durable on return: another connection sees it at once.
                            assertThat(committed(e.id())).isEqualTo(1);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<AuditEvent> events = assertUnbrokenChain(org.id());
        Set<String> writes = new HashSet<>();
        events.stream().filter(e -> e.action().equals("test.write")).forEach(e -> writes.add(e.details()));
        assertThat(writes).hasSize(1600);
    }

    @Test
    void waitingEventsOfOneOrgAreCommittedTogetherAndEachCallerReturnsOnlyOnceCommitted() throws Exception {
        Fixtures.TestOrg org = fixtures.org();
        long batchesBefore = auditLog.batchesCommitted();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            // Someone (another node, an admin change) holds the org's chain head for a moment.
            Future<?> holder = pool.submit(() -> new TransactionTemplate(transactions).executeWithoutResult(s -> {
                repository.lockHead(org.id());
                locked.countDown();
                try {
                    assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
            List<Future<AuditEvent>> writers = new ArrayList<>();
            writers.add(pool.submit(() -> auditLog.appendAlone(org.id(), record("test.batched", 0, 0))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (auditLog.queued(org.id()) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5); // the first one leads, took its record, and waits on the head
            }
            for (int w = 1; w < 8; w++) {
                int writer = w;
                writers.add(pool.submit(() -> auditLog.appendAlone(org.id(), record("test.batched", writer, 0))));
            }
            // The seven others queue behind the leader.
            while (auditLog.queued(org.id()) < 7 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(auditLog.queued(org.id())).isEqualTo(7);
            for (Future<AuditEvent> f : writers) {
                assertThat(f.isDone()).as("nobody returns before their event is committed").isFalse();
            }
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            for (Future<AuditEvent> f : writers) {
                assertThat(committed(f.get(30, TimeUnit.SECONDS).id())).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        // The leader's own batch, then the seven who waited: two transactions for eight events.
        assertThat(auditLog.batchesCommitted() - batchesBefore).isEqualTo(2);
        assertThat(assertUnbrokenChain(org.id())).filteredOn(e -> e.action().equals("test.batched")).hasSize(8);
    }

    @Test
    void aFaultyRecordInABatchFailsOnlyItsOwnCaller() throws Exception {
        Fixtures.TestOrg org = fixtures.org();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<AuditEvent>> good = new ArrayList<>();
        Future<AuditEvent> bad;
        try {
            Future<?> holder = pool.submit(() -> new TransactionTemplate(transactions).executeWithoutResult(s -> {
                repository.lockHead(org.id());
                locked.countDown();
                try {
                    assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
            good.add(pool.submit(() -> auditLog.appendAlone(org.id(), record("test.good", 0, 0))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (auditLog.queued(org.id()) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5); // the first one leads, and waits on the head
            }
            for (int w = 1; w < 4; w++) {
                int writer = w;
                good.add(pool.submit(() -> auditLog.appendAlone(org.id(), record("test.good", writer, 0))));
            }
            // An action longer than its column (64): its insert fails, in the same batch as three good ones.
            bad = pool.submit(() -> auditLog.appendAlone(org.id(), record("x".repeat(100), 9, 0)));
            while (auditLog.queued(org.id()) < 4 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(auditLog.queued(org.id())).isEqualTo(4);
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            for (Future<AuditEvent> f : good) {
                assertThat(committed(f.get(30, TimeUnit.SECONDS).id())).isEqualTo(1);
            }
            Future<AuditEvent> failing = bad;
            assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(RuntimeException.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(assertUnbrokenChain(org.id())).filteredOn(e -> e.action().equals("test.good")).hasSize(4);
    }
}
