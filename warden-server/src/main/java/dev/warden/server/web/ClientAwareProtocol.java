package dev.warden.server.web;

import java.io.IOException;
import org.apache.coyote.Adapter;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's HTTP/1.1 connector, with one addition: while a request is handled synchronously, its
 * thread knows the client's connection ({@link ClientConnection#current()}), so a long warehouse
 * query can notice that the client has gone before it has a single byte to write.
 *
 * <p>The Servlet API has no such notice: a container learns of a closed connection only when it
 * next reads or writes, and during a synchronous request it does neither. Go's net/http solves the
 * same problem with a background read on the connection; this is the same idea, done from the
 * outside through a non-blocking read whose bytes, if any, are handed back to Tomcat.
 * Named by class in {@link TomcatConfig}; Tomcat creates it by reflection.
 */
public final class ClientAwareProtocol extends Http11NioProtocol {
    @Override
    protected Processor createProcessor() {
        return new BindingProcessor(this, getAdapter());
    }

    /** Binds the connection to the thread for exactly the time Tomcat lends the thread to it. */
    private static final class BindingProcessor extends Http11Processor {
        BindingProcessor(AbstractHttp11Protocol<?> protocol, Adapter adapter) {
            super(protocol, adapter);
        }

        @Override
        public SocketState service(SocketWrapperBase<?> socket) throws IOException {
            ClientConnection.bind(socket);
            try {
                return super.service(socket);
            } finally {
                ClientConnection.unbind();
            }
        }
    }
}
