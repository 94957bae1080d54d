package dev.warden.server.connections.execution;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import javax.net.ssl.SSLException;

/** Turns a driver's exception into a {@link WarehouseFailure.Kind}, by SQLState and cause type only. */
final class FailureClassifier {
    private FailureClassifier() {}

    /**
     * @param tlsRequired the connection asks for TLS: then a server that refuses to start TLS
     *                    (PostgreSQL's "does not support SSL", SQLState 08004) or whose certificate
     *                    does not name the host is a TLS failure, not an unreachable host: the host
     *                    answered, its TLS does not fit the connection's TLS mode
     */
    static WarehouseFailure.Kind classify(Throwable e, boolean connecting, boolean tlsRequired) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WarehouseFailure wf) {
                return wf.kind();
            }
            if (t instanceof SSLException || t instanceof java.security.cert.CertificateException) {
                return WarehouseFailure.Kind.TLS;
            }
            if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return WarehouseFailure.Kind.UNREACHABLE;
            }
            if (t instanceof SQLTimeoutException) {
                return WarehouseFailure.Kind.TIMEOUT;
            }
            if (t instanceof SocketTimeoutException) {
                return connecting ? WarehouseFailure.Kind.UNREACHABLE : WarehouseFailure.Kind.TIMEOUT;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.equals("28P01") || state.startsWith("28")) {
                    return WarehouseFailure.Kind.AUTHENTICATION;
                }
                if (state.equals("3D000") || (state.equals("42000") && sql.getErrorCode() == 1049)) {
                    return WarehouseFailure.Kind.UNKNOWN_DATABASE;
                }
                if (state.equals("57014") || state.equals("70100")) {
                    return WarehouseFailure.Kind.TIMEOUT; // query cancelled on timeout (PostgreSQL, MySQL)
                }
                if (tlsRequired && state.equals("08004")) {
                    return WarehouseFailure.Kind.TLS;
                }
                if (tlsRequired && connecting && state.equals("08006") && sql.getCause() == null) {
                    // pgjdbc reports a certificate that does not name the host (verify-full) as a bare
                    // 08006 without a cause; network failures under 08006 always carry their IOException.
                    return WarehouseFailure.Kind.TLS;
                }
                if (state.startsWith("08")) {
                    // MariaDB reports TLS failures as connection errors; look further down for the cause.
                    continue;
                }
                if (!connecting) {
                    return WarehouseFailure.Kind.QUERY_FAILED;
                }
            }
        }
        return connecting ? WarehouseFailure.Kind.UNREACHABLE : WarehouseFailure.Kind.OTHER;
    }
}
