package dev.warden.server.connections;

import dev.warden.semantic.policy.ConnectionRole;

/**
 * The body of a connection create or change. On change, absent (null) fields keep their value.
 * At most one of {@code password}, {@code privateKey}, {@code token} may be given; it is sealed
 * at once and never returned. {@code toString} leaves all three out.
 */
public record ConnectionRequest(
        String name,
        ConnectionType type,
        String host,
        Integer port,
        String database,
        String user,
        String path,
        String account,
        String warehouse,
        String project,
        String schema,
        TlsMode tlsMode,
        String tlsCaBundle,
        Integer statementTimeoutSeconds,
        Integer maxPoolSize,
        ConnectionRole baseRole,
        String password,
        String privateKey,
        String token) {

    @Override
    public String toString() {
        return "ConnectionRequest[name=" + name + ", type=" + type + ", host=" + host + ", secret=redacted]";
    }
}
