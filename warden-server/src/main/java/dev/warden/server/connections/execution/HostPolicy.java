package dev.warden.server.connections.execution;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which warehouse hosts this deployment may connect to. A tenant must not be able to point a
 * connection at Warden's own host (its metadata store, its admin ports) or at cloud metadata
 * endpoints: loopback, link-local and wildcard addresses are refused unless the deployment
 * allows loopback ({@code warden.connections.allow-loopback}, for development and tests). The
 * check runs on the resolved addresses at connect time, so DNS tricks do not get around it.
 */
@Component
final class HostPolicy {
    private final boolean allowLoopback;

    HostPolicy(@Value("${warden.connections.allow-loopback:false}") boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    void check(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new WarehouseFailure(WarehouseFailure.Kind.UNREACHABLE);
        }
        for (InetAddress address : addresses) {
            boolean local = address.isLoopbackAddress();
            if ((local && !allowLoopback) || address.isLinkLocalAddress() || address.isAnyLocalAddress()
                    || address.isMulticastAddress()) {
                throw new WarehouseFailure(WarehouseFailure.Kind.HOST_NOT_ALLOWED);
            }
        }
    }
}
