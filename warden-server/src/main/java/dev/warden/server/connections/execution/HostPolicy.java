package dev.warden.server.connections.execution;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which warehouse hosts this deployment may connect to. A tenant must not point a connection at
 * Warden's own host or its metadata store, nor at cloud metadata endpoints: loopback, link-local,
 * wildcard and multicast addresses, the known metadata addresses of clouds, and the metadata
 * store's own address and port are refused. Loopback may be allowed for development and tests
 * ({@code warden.connections.allow-loopback}), and the metadata store's server for tests that
 * use one PostgreSQL for both ({@code warden.connections.allow-metadata-store-server}).
 *
 * <p>The check resolves the name itself; the driver resolves it again when it connects, so a
 * name whose answer changes in between (DNS rebinding) is a known gap: see docs/SECURITY.md.
 */
@Component
public final class HostPolicy {
    /** Cloud instance-metadata addresses that are not link-local (AWS IPv6, Alibaba Cloud). */
    private static final Set<String> CLOUD_METADATA = Set.of("fd00:ec2:0:0:0:0:0:254", "100.100.100.200");

    private final boolean allowLoopback;
    private final Optional<HostAndPort> metadataStore;

    record HostAndPort(String host, int port) {}

    HostPolicy(@Value("${warden.connections.allow-loopback:false}") boolean allowLoopback,
               @Value("${warden.connections.allow-metadata-store-server:false}") boolean allowMetadataStoreServer,
               @Value("${spring.datasource.url:}") String metadataUrl) {
        this.allowLoopback = allowLoopback;
        this.metadataStore = allowMetadataStoreServer ? Optional.empty() : serverOf(metadataUrl);
    }

    /** Whether loopback addresses are allowed at all ({@code warden.connections.allow-loopback}). */
    public boolean loopbackAllowed() {
        return allowLoopback;
    }

    /** Whether a tenant-named host that resolved to {@code address} may be reached on {@code port}. */
    public boolean allows(InetAddress address, int port) {
        return !((address.isLoopbackAddress() && !allowLoopback) || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()
                || CLOUD_METADATA.contains(address.getHostAddress()) || isMetadataStore(address, port));
    }

    void check(String host, int port) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new WarehouseFailure(WarehouseFailure.Kind.UNREACHABLE);
        }
        for (InetAddress address : addresses) {
            if (!allows(address, port)) {
                throw new WarehouseFailure(WarehouseFailure.Kind.HOST_NOT_ALLOWED);
            }
        }
    }

    private boolean isMetadataStore(InetAddress address, int port) {
        if (metadataStore.isEmpty() || metadataStore.get().port() != port) {
            return false;
        }
        try {
            for (InetAddress store : InetAddress.getAllByName(metadataStore.get().host())) {
                if (store.equals(address) || (store.isLoopbackAddress() && address.isLoopbackAddress())) {
                    return true;
                }
            }
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }

    /** The host and port of a network metadata store (PostgreSQL); none for the embedded H2. */
    static Optional<HostAndPort> serverOf(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            if (uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
