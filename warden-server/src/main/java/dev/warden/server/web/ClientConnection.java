package dev.warden.server.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * The connection of the client whose request this thread is handling, as far as one can tell
 * whether it is still there. Outside Tomcat's HTTP/1.1 connector (MockMvc, HTTP/2) there is
 * nothing to look at and the client is taken to be present.
 */
public final class ClientConnection {
    private static final ThreadLocal<SocketWrapperBase<?>> CURRENT = new ThreadLocal<>();
    private static final ClientConnection UNKNOWN = new ClientConnection(null);

    private final SocketWrapperBase<?> socket;
    private boolean released;
    /** Where a look's bytes land; only the watching thread looks, under this object's lock. */
    private ByteBuffer scratch;

    private ClientConnection(SocketWrapperBase<?> socket) {
        this.socket = socket;
    }

    static void bind(SocketWrapperBase<?> socket) {
        CURRENT.set(socket);
    }

    static void unbind() {
        CURRENT.remove();
    }

    /** The connection of the request on this thread; call on the request's own thread. */
    public static ClientConnection current() {
        SocketWrapperBase<?> socket = CURRENT.get();
        return socket == null ? UNKNOWN : new ClientConnection(socket);
    }

    /** Whether there is a connection to look at at all (not under MockMvc or HTTP/2). */
    boolean knowable() {
        return socket != null;
    }

    /**
     * True once the client has closed or reset the connection. Reads without blocking: bytes that
     * arrive meanwhile (a pipelined next request) are handed back to Tomcat untouched. Only to be
     * called while the request's thread neither reads nor writes (it waits on the warehouse), and
     * never after {@link #release()}: the two are serialised here.
     *
     * <p>A client that half-closes its side after sending the request (rare; HTTP clients keep the
     * connection open for the answer) counts as gone, as it does for Go's net/http.
     */
    public synchronized boolean gone() {
        if (socket == null || released) {
            return false;
        }
        if (socket.isClosed()) {
            return true;
        }
        int capacity = socket.getSocketBufferHandler().getReadBuffer().capacity();
        if (scratch == null || scratch.capacity() < capacity) {
            scratch = ByteBuffer.allocate(capacity); // reused: Tomcat copies what is handed back
        }
        ByteBuffer arrived = scratch.clear();
        try {
            int n = socket.read(false, arrived);
            if (n > 0) {
                arrived.flip();
                socket.unRead(arrived);
            }
            return n < 0;
        } catch (IOException closedOrReset) {
            return true;
        }
    }

    /** After this, {@link #gone()} no longer touches the connection: the request's thread has it back. */
    public synchronized void release() {
        released = true;
    }
}
