package dev.warden.server.web;

import jakarta.annotation.PreDestroy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Watches the client of a request while its thread waits on something slow (a warehouse query),
 * and calls back once the client has left, so the work is stopped instead of finished for nobody.
 * One daemon thread looks at every watched connection; a look is one non-blocking read.
 */
@Component
public final class ClientDisconnects {
    private final ScheduledExecutorService looker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "warden-client-watch");
        t.setDaemon(true);
        return t;
    });
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClientDisconnects.class);
    /** How long after a cancel it is sent again while the query still runs. */
    private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(1);
    private static final long RETRY_NANOS = RETRY.toNanos();

    private final long intervalNanos;
    /** Every watch not yet closed. Starting and closing one is a set operation: most queries are short. */
    private final Set<Active> watched = ConcurrentHashMap.newKeySet();

    public ClientDisconnects(@Value("${warden.query.client-check-interval-ms:100}") long intervalMillis) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        looker.scheduleWithFixedDelay(this::lookAtAll, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** What {@link #watch} returns: closing it stops the watching and gives the connection back. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Starts watching the client of the request on this thread (call it there). Once the client
     * has left, {@code onLeave} runs on a thread of its own, and again every second until the
     * watch is closed (so a cancellation that raced with the start of a statement is repeated).
     * The watch must be closed before the request's thread writes its answer.
     */
    public Watch watch(Runnable onLeave) {
        return watch(ClientConnection.current(), onLeave);
    }

    /**
     * The same for a connection taken earlier on the request's thread (an asynchronous response
     * runs elsewhere); to be closed before anything is written to it.
     */
    public Watch watch(ClientConnection connection, Runnable onLeave) {
        Active active = new Active(connection, onLeave, System.nanoTime());
        if (connection.knowable()) {
            watched.add(active);
        }
        return active;
    }

    /** Looks at each connection watched for at least one interval: a query of a few milliseconds is never looked at. */
    private void lookAtAll() {
        long now = System.nanoTime();
        for (Active a : watched) {
            if (now - a.since >= intervalNanos) {
                try {
                    a.look(now);
                } catch (Throwable e) {
                    // one watch failing must not stop the watching of the others (a scheduled task
                    // that throws is never run again)
                    log.warn("client watch failed: {}", e.getClass().getName());
                }
            }
        }
    }

    private final class Active implements Watch {
        private final ClientConnection connection;
        private final Runnable onLeave;
        private final long since;
        /** Set by the watcher thread once the client is gone; read only there. */
        private boolean left;
        /** Whether an {@code onLeave} run is in progress. */
        private final AtomicBoolean leaving = new AtomicBoolean();
        /** When {@code onLeave} last started (only the watcher thread reads and writes it). */
        private long lastLeave = System.nanoTime() - RETRY_NANOS;

        Active(ClientConnection connection, Runnable onLeave, long since) {
            this.connection = connection;
            this.onLeave = onLeave;
            this.since = since;
        }

        /**
         * Once the client has left, {@code onLeave} runs on a thread of its own (cancelling a
         * statement can mean a new connection to a slow warehouse; the watcher must not wait for
         * it), one run at a time, again after {@link #RETRY} while the query is still running: a
         * cancel that raced with the statement's start does nothing.
         */
        void look(long now) {
            if (!left && !connection.gone()) {
                return;
            }
            left = true;
            if (now - lastLeave >= RETRY_NANOS && leaving.compareAndSet(false, true)) {
                lastLeave = now;
                Thread.ofVirtual().name("client-left").start(() -> {
                    try {
                        onLeave.run();
                    } finally {
                        leaving.set(false);
                    }
                });
            }
        }

        @Override
        public void close() {
            watched.remove(this);
            connection.release(); // waits for a look in progress: the socket is the request's again
        }
    }

    @PreDestroy
    void stop() {
        looker.shutdownNow();
    }
}
