-- Sign-in through each org's identity provider, and browser sessions.

-- A sign-in sent to an identity provider that has not come back yet (OIDC or SAML, an org's or
-- the operators' realm). Keyed by the SHA-256 of the OIDC state or of the SAML request id, so a
-- copy of this table cannot be used to complete anyone's sign-in. Single use: completing it
-- deletes the row, and only the deleting request may go on. browser_hash binds it to the
-- browser that started it (a short-lived cookie), against login CSRF.
CREATE TABLE pending_sign_ins (
    key_hash      VARCHAR(64)   PRIMARY KEY,
    realm         VARCHAR(16)   NOT NULL,
    org_id        UUID REFERENCES orgs (id) ON DELETE CASCADE,
    protocol      VARCHAR(8)    NOT NULL,
    browser_hash  VARCHAR(64)   NOT NULL,
    payload       VARCHAR(4000) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX pending_sign_ins_expiry ON pending_sign_ins (expires_at);

-- SAML assertion ids already accepted, per org, until the assertion expires: a replayed
-- assertion is refused on every node.
CREATE TABLE saml_assertion_ids (
    org_id        UUID NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    assertion_id  VARCHAR(256) NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (org_id, assertion_id)
);

-- Which identity at which provider is which person. A person belongs to one org; the key is
-- (org, SHA-256 of issuer and subject), so the same IdP account in two orgs is two people.
CREATE TABLE user_identities (
    org_id         UUID NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    identity_hash  VARCHAR(64)   NOT NULL,
    user_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issuer         VARCHAR(1000) NOT NULL,
    subject        VARCHAR(1000) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_sign_in   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (org_id, identity_hash)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- Browser sessions after sign-in (an org's person, or an operator in the operators' realm).
-- Like API keys: the cookie is "wbs_" + lookup_id + "_" + secret and only a SHA-256 of the
-- secret is kept, so a copy of this table opens no session; the CSRF token likewise. Every
-- request re-reads the row: logout, disabling the person and the timeouts apply at once.
CREATE TABLE browser_sessions (
    id                   UUID PRIMARY KEY,
    realm                VARCHAR(16) NOT NULL,
    org_id               UUID REFERENCES orgs (id) ON DELETE CASCADE,
    user_id              UUID REFERENCES users (id) ON DELETE CASCADE,
    operator_id          VARCHAR(64),
    lookup_id            VARCHAR(32) NOT NULL UNIQUE,
    secret_hash          BYTEA NOT NULL,
    csrf_hash            BYTEA NOT NULL,
    protocol             VARCHAR(8)  NOT NULL,
    source               VARCHAR(64) NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    absolute_expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at             TIMESTAMP WITH TIME ZONE,
    end_reason           VARCHAR(32)
);
CREATE INDEX browser_sessions_user ON browser_sessions (user_id);

-- Who made a group membership: an admin, or the identity provider at sign-in. Sign-in adds and
-- removes only the memberships the IdP made; an admin's are never removed by a sign-in.
ALTER TABLE group_members ADD COLUMN source VARCHAR(8) DEFAULT 'admin' NOT NULL;
