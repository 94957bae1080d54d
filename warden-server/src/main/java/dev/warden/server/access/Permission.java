package dev.warden.server.access;

/**
 * Every kind of action an endpoint can perform. Each endpoint names exactly one with
 * {@link Requires}; {@link PermissionMatrix} says who holds which. An endpoint that names
 * none is refused to everyone.
 */
public enum Permission {
    /** Read one's own identity, org, roles and attributes. */
    SELF_READ,
    /** List, create and revoke one's own API keys. */
    OWN_API_KEYS,
    /** List and revoke every API key of the org. */
    ALL_API_KEYS,
    USERS_READ,
    USERS_WRITE,
    GROUPS_READ,
    GROUPS_WRITE,
    AUDIT_READ,
    ATTRIBUTES_READ,
    ATTRIBUTES_WRITE,
    /** Create a connection (the creator becomes its admin by being ORG_ADMIN). */
    CONNECTIONS_CREATE,
    /**
     * Connection-scoped work (connections, models, queries, topics): any person may ask; the
     * service decides from their role on that connection, and answers 404 where they have none.
     */
    CONNECTIONS,
    /** Run, compile or explain a query (the role on the connection decides inside). */
    QUERY,
    /** Grant, list and revoke vendor support access. */
    SUPPORT_ADMIN,
    /** Read and change the org's SSO settings (OIDC, SAML). */
    SSO_ADMIN
}
