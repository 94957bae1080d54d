package dev.warden.server.access;

/** How the caller authenticated. Decides which permissions can apply at all. */
public enum ActorKind {
    /** A person in a browser session after SSO sign-in. */
    USER,
    /** A program using a personal API key; acts as the key's owner. */
    API_KEY,
    /** An identity provider provisioning users and groups. */
    SCIM,
    /** An embedded-analytics session. */
    EMBED,
    /** The vendor's support staff inside an org, within a support grant. */
    OPERATOR
}
