package dev.warden.server.identity.sso;

import dev.warden.server.access.OrgId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Stored SSO settings, one row per org and protocol. */
@Repository
public class SsoRepository {
    record StoredOidc(String settings, Optional<byte[]> sealedSecret) {}

    private final JdbcClient jdbc;

    public SsoRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<StoredOidc> oidc(OrgId org) {
        return jdbc.sql("SELECT settings, client_secret_sealed FROM sso_oidc WHERE org_id = ?").param(org.value())
                .query((rs, n) -> new StoredOidc(rs.getString(1), Optional.ofNullable(rs.getBytes(2)))).optional();
    }

    void saveOidc(OrgId org, String settings, byte[] sealedSecret, Instant at) {
        jdbc.sql("DELETE FROM sso_oidc WHERE org_id = ?").param(org.value()).update();
        jdbc.sql("INSERT INTO sso_oidc (org_id, settings, client_secret_sealed, updated_at) VALUES (?, ?, ?, ?)")
                .params(org.value(), settings, sealedSecret, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).update();
    }

    Optional<String> saml(OrgId org) {
        return jdbc.sql("SELECT settings FROM sso_saml WHERE org_id = ?").param(org.value()).query(String.class).optional();
    }

    void saveSaml(OrgId org, String settings, Instant at) {
        jdbc.sql("DELETE FROM sso_saml WHERE org_id = ?").param(org.value()).update();
        jdbc.sql("INSERT INTO sso_saml (org_id, settings, updated_at) VALUES (?, ?, ?)")
                .params(org.value(), settings, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).update();
    }
}
