-- Each org's identity providers. The OIDC client secret is sealed with the org's credentials
-- keyset (bound to this row) and never returned; the rest is plain configuration (JSON).
CREATE TABLE sso_oidc (
    org_id                UUID PRIMARY KEY REFERENCES orgs (id),
    settings              VARCHAR(20000) NOT NULL,
    client_secret_sealed  BYTEA,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE sso_saml (
    org_id      UUID PRIMARY KEY REFERENCES orgs (id),
    settings    VARCHAR(200000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
