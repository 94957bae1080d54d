-- Vendor support access that the customer sees and controls.

-- A grant by an org admin: a scope, an expiry (at most 7 days after creation), a reason, and
-- optionally the operators it names (empty: any operator of the deployment).
CREATE TABLE support_grants (
    id          UUID PRIMARY KEY,
    org_id      UUID NOT NULL REFERENCES orgs (id),
    scope       VARCHAR(16)  NOT NULL,
    reason      VARCHAR(1000) NOT NULL,
    operators   VARCHAR(2000) NOT NULL,
    created_by  UUID NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    revoked_by  UUID
);
CREATE INDEX support_grants_org ON support_grants (org_id);

-- An operator's org-scoped session under a grant. Like API keys: only a hash of the secret.
-- Every request re-reads the session and its grant, so expiry and revocation apply at once.
CREATE TABLE support_sessions (
    id           UUID PRIMARY KEY,
    org_id       UUID NOT NULL REFERENCES orgs (id),
    grant_id     UUID NOT NULL REFERENCES support_grants (id),
    operator_id  VARCHAR(64) NOT NULL,
    lookup_id    VARCHAR(32) NOT NULL UNIQUE,
    secret_hash  BYTEA NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    source       VARCHAR(64) NOT NULL
);
CREATE INDEX support_sessions_grant ON support_sessions (grant_id);
