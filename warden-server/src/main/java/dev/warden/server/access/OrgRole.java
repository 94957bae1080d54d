package dev.warden.server.access;

/** What a person may do in their organization as a whole (DESIGN.md section 1). */
public enum OrgRole {
    MEMBER,
    /** Manages people, groups, attributes, SSO, API keys, support access and the audit log; CONNECTION_ADMIN everywhere. */
    ORG_ADMIN
}
