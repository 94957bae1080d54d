package dev.warden.semantic.policy;

/**
 * A person's role on one connection. The ladder is ordered: each role includes every role
 * declared before it, so compare with {@link #atLeast}.
 */
public enum ConnectionRole {
    /** Nothing on this connection. */
    NO_ACCESS,
    /** Saved content shared with them; no ad-hoc queries. */
    VIEWER,
    /** Queries on topics marked {@code curated: true} only. */
    RESTRICTED_QUERIER,
    /** Queries on every topic the model grants them. */
    QUERIER,
    /** Also reads and changes models and sees generated SQL. */
    MODELER,
    /** Also changes the connection and its credentials. */
    CONNECTION_ADMIN;

    /** Whether this role includes {@code other}. */
    public boolean atLeast(ConnectionRole other) {
        return compareTo(other) >= 0;
    }

    /** Whether the role may run ad-hoc queries at all (on curated topics at least). */
    public boolean mayQuery() {
        return atLeast(RESTRICTED_QUERIER);
    }

    /** Whether the role may query topics that are not curated. */
    public boolean mayQueryUncurated() {
        return atLeast(QUERIER);
    }
}
