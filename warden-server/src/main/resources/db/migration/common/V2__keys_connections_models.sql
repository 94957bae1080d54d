-- Per-org keysets, connections with sealed secrets, connection roles, models and their versions.

-- Each org has one keyset per purpose (CUSTOMER_DATA, CUSTOMER_CREDENTIALS), stored wrapped by
-- the master key (warden-crypto's WrappedKeyset format). generation grows with every rotation,
-- so that nodes notice a rotated keyset and reload it.
CREATE TABLE org_keysets (
    org_id      UUID NOT NULL REFERENCES orgs (id),
    purpose     VARCHAR(32) NOT NULL,
    wrapped     BYTEA NOT NULL,
    generation  INTEGER NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (org_id, purpose)
);

-- A warehouse connection. Settings are plain; the secret (password, private key or token) is
-- sealed with the org's CUSTOMER_CREDENTIALS keyset, bound to this row, and never returned.
CREATE TABLE connections (
    id              UUID PRIMARY KEY,
    org_id          UUID NOT NULL REFERENCES orgs (id),
    name            VARCHAR(100) NOT NULL,
    type            VARCHAR(16)  NOT NULL,
    settings        VARCHAR(10000) NOT NULL,
    secret_kind     VARCHAR(16),
    secret_sealed   BYTEA,
    base_role       VARCHAR(32) NOT NULL,
    version         INTEGER NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT connections_name_per_org UNIQUE (org_id, name)
);

-- Roles on a connection above its base role, for one person or one group.
CREATE TABLE connection_grants (
    org_id         UUID NOT NULL REFERENCES orgs (id),
    connection_id  UUID NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    user_id        UUID REFERENCES users (id) ON DELETE CASCADE,
    group_id       UUID REFERENCES user_groups (id) ON DELETE CASCADE,
    role           VARCHAR(32) NOT NULL,
    CONSTRAINT connection_grants_one_subject CHECK ((user_id IS NULL) <> (group_id IS NULL))
);
CREATE INDEX connection_grants_connection ON connection_grants (connection_id);

CREATE TABLE models (
    id              UUID PRIMARY KEY,
    org_id          UUID NOT NULL REFERENCES orgs (id),
    connection_id   UUID NOT NULL REFERENCES connections (id),
    name            VARCHAR(100) NOT NULL,
    active_version  INTEGER,
    cache_ttl_seconds INTEGER NOT NULL DEFAULT 21600,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT models_name_per_org UNIQUE (org_id, name)
);

CREATE TABLE model_versions (
    org_id      UUID NOT NULL REFERENCES orgs (id),
    model_id    UUID NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    yaml        VARCHAR(1000000) NOT NULL,
    created_by  VARCHAR(320) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (model_id, version)
);

-- User attributes: definitions and values per person (values per group arrive with issue 6).
CREATE TABLE attribute_definitions (
    org_id         UUID NOT NULL REFERENCES orgs (id),
    name           VARCHAR(64) NOT NULL,
    type           VARCHAR(16) NOT NULL,
    multi_valued   BOOLEAN NOT NULL,
    default_value  VARCHAR(1000),
    description    VARCHAR(1000) NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, name)
);

CREATE TABLE user_attribute_values (
    org_id    UUID NOT NULL REFERENCES orgs (id),
    user_id   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name      VARCHAR(64) NOT NULL,
    ordinal   INTEGER NOT NULL,
    attr_value VARCHAR(1000) NOT NULL,
    PRIMARY KEY (user_id, name, ordinal)
);
