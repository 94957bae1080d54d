package dev.warden.server.access;

/** How deep a support grant lets operators into an org. */
public enum SupportScope {
    /** Models, topics, connections (never secrets), people, groups, attributes: read-only, no query results. */
    METADATA,
    /** Also runs queries and sees their results, still read-only and under deny-by-default row filters. */
    DATA
}
