package dev.warden.server.web;

import jakarta.annotation.PreDestroy;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
    private final long intervalMillis;

    public ClientDisconnects(@Value("${warden.query.client-check-interval-ms:100}") long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    /** What {@link #watch} returns: closing it stops the watching and gives the connection back. */
    public interface Watch extends AutoCloseable {
        /** Whether the client was seen to leave. */
        boolean clientLeft();

        @Override
        void close();
    }

    /**
     * Starts watching the client of the request on this thread (call it there). {@code onLeave}
     * runs on the watching thread, at every look after the client has left until the watch is
     * closed (so a cancellation that raced with the start of a statement is repeated). The watch
     * must be closed before the request's thread writes its answer.
     */
    public Watch watch(Runnable onLeave) {
        return watch(ClientConnection.current(), onLeave);
    }

    /**
     * The same for a connection taken earlier on the request's thread (an asynchronous response
     * runs elsewhere); to be closed before anything is written to it.
     */
    public Watch watch(ClientConnection connection, Runnable onLeave) {
        AtomicBoolean left = new AtomicBoolean();
        ScheduledFuture<?> looking = looker.scheduleWithFixedDelay(() -> {
            if (left.get() || connection.gone()) {
                left.set(true);
                onLeave.run();
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return new Watch() {
            @Override
            public boolean clientLeft() {
                return left.get();
            }

            @Override
            public void close() {
                looking.cancel(false);
                connection.release(); // waits for a look in progress: the socket is the request's again
            }
        };
    }

    @PreDestroy
    void stop() {
        looker.shutdownNow();
    }
}
