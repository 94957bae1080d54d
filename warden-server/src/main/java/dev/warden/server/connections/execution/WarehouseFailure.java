package dev.warden.server.connections.execution;

/**
 * A warehouse did not do what was asked. {@link Kind} says what failed, in words fit for the
 * caller; the message never carries a driver's message (which can hold SQL, values or hosts'
 * internals) nor a secret.
 */
public final class WarehouseFailure extends RuntimeException {
    public enum Kind {
        AUTHENTICATION("the warehouse refused the credentials"),
        UNREACHABLE("the warehouse could not be reached"),
        TLS("the TLS handshake with the warehouse failed (certificate, host name or TLS mode)"),
        UNKNOWN_DATABASE("the warehouse has no such database"),
        TIMEOUT("the warehouse did not answer within the statement timeout"),
        CANCELLED("the query was cancelled"),
        HOST_NOT_ALLOWED("this deployment does not allow connections to that host"),
        DRIVER_MISSING("this build of Warden has no driver for that warehouse type"),
        NO_SECRET("the connection has no credentials set"),
        QUERY_FAILED("the warehouse rejected the query"),
        TIME_ZONE_UNKNOWN("the warehouse cannot convert timestamps to the query's time zone (a MySQL server needs its"
                + " time zone tables, loaded with mysql_tzinfo_to_sql); query in UTC or another zone it knows"),
        OTHER("the warehouse failed");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Kind kind;

    public WarehouseFailure(Kind kind) {
        super(kind.description(), null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
