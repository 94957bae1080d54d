-- The spine: orgs, people, groups, API keys, the audit log.
-- Portable SQL for PostgreSQL and for H2 in PostgreSQL mode. Every tenant-owned table carries
-- org_id; every id is a random UUID. There is no password column anywhere: sign-in is delegated.

CREATE TABLE orgs (
    id          UUID PRIMARY KEY,
    slug        VARCHAR(63)  NOT NULL UNIQUE,
    name        VARCHAR(200) NOT NULL,
    row_limit   INTEGER      NOT NULL DEFAULT 100000,
    timezone    VARCHAR(64),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    org_id        UUID NOT NULL REFERENCES orgs (id),
    email         VARCHAR(320) NOT NULL,
    display_name  VARCHAR(200) NOT NULL,
    org_role      VARCHAR(32)  NOT NULL,
    disabled      BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT users_email_per_org UNIQUE (org_id, email)
);

CREATE TABLE user_groups (
    id           UUID PRIMARY KEY,
    org_id       UUID NOT NULL REFERENCES orgs (id),
    name         VARCHAR(200) NOT NULL,
    description  VARCHAR(1000) NOT NULL DEFAULT '',
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT user_groups_name_per_org UNIQUE (org_id, name)
);

CREATE TABLE group_members (
    org_id    UUID NOT NULL REFERENCES orgs (id),
    group_id  UUID NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    user_id   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

-- An API key is "wdn_" + lookup_id + "_" + secret. Only a SHA-256 of the secret is kept; the
-- secret has 256 bits of entropy, so a fast hash is enough and no pepper is needed.
CREATE TABLE api_keys (
    id            UUID PRIMARY KEY,
    org_id        UUID NOT NULL REFERENCES orgs (id),
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          VARCHAR(200) NOT NULL,
    lookup_id     VARCHAR(32)  NOT NULL UNIQUE,
    secret_hash   BYTEA        NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE,
    last_used_at  TIMESTAMP WITH TIME ZONE,
    revoked_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX api_keys_org_user ON api_keys (org_id, user_id);

-- Append-only, hash-chained per org. audit_heads holds each org's chain head; appending locks
-- that row, so concurrent writers of one org are serialized and the chain never forks.
CREATE TABLE audit_heads (
    org_id  UUID PRIMARY KEY REFERENCES orgs (id),
    seq     BIGINT      NOT NULL,
    hash    VARCHAR(64) NOT NULL
);

CREATE TABLE audit_events (
    id           UUID PRIMARY KEY,
    org_id       UUID NOT NULL REFERENCES orgs (id),
    seq          BIGINT NOT NULL,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_kind   VARCHAR(16)  NOT NULL,
    actor_id     VARCHAR(64),
    actor_label  VARCHAR(320) NOT NULL,
    action       VARCHAR(64)  NOT NULL,
    outcome      VARCHAR(16)  NOT NULL,
    target_type  VARCHAR(64),
    target_id    VARCHAR(64),
    request_id   VARCHAR(64),
    details      VARCHAR(100000) NOT NULL,
    prev_hash    VARCHAR(64)  NOT NULL,
    hash         VARCHAR(64)  NOT NULL,
    CONSTRAINT audit_events_seq_per_org UNIQUE (org_id, seq)
);
CREATE INDEX audit_events_org_time ON audit_events (org_id, occurred_at);
