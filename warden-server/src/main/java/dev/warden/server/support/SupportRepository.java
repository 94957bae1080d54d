package dev.warden.server.support;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.SupportScope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Support grants and sessions. Admin reads are org-scoped; operator reads go by grant state. */
@Repository
public class SupportRepository {
    private static final String GRANT = "id, org_id, scope, reason, operators, created_by, created_at, expires_at, revoked_at, revoked_by";

    /** A stored support session; the secret is a hash. */
    record Session(UUID id, OrgId orgId, UUID grantId, String operatorId, byte[] secretHash, Instant createdAt,
                   String source) {}

    private final JdbcClient jdbc;

    public SupportRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(SupportGrant g) {
        jdbc.sql("INSERT INTO support_grants (" + GRANT + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(g.id(), g.orgId().value(), g.scope().name(), g.reason(), String.join(",", g.operators()),
                        g.createdBy(), utc(g.createdAt()), utc(g.expiresAt()), null, null)
                .update();
    }

    Optional<SupportGrant> find(OrgId org, UUID id) {
        return jdbc.sql("SELECT " + GRANT + " FROM support_grants WHERE org_id = ? AND id = ?")
                .params(org.value(), id).query(SupportRepository::grant).optional();
    }

    List<SupportGrant> list(OrgId org) {
        return jdbc.sql("SELECT " + GRANT + " FROM support_grants WHERE org_id = ? ORDER BY created_at DESC")
                .param(org.value()).query(SupportRepository::grant).list();
    }

    /** Grants of every org that have not ended by {@code now}: for the operator's org list. */
    List<SupportGrant> active(Instant now) {
        return jdbc.sql("SELECT " + GRANT + " FROM support_grants WHERE revoked_at IS NULL AND expires_at > ? ORDER BY created_at")
                .param(utc(now)).query(SupportRepository::grant).list();
    }

    boolean revoke(OrgId org, UUID id, UUID by, Instant at) {
        return jdbc.sql("UPDATE support_grants SET revoked_at = ?, revoked_by = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL")
                .params(utc(at), by, org.value(), id).update() == 1;
    }

    void insertSession(Session s, String lookupId) {
        jdbc.sql("INSERT INTO support_sessions (id, org_id, grant_id, operator_id, lookup_id, secret_hash, created_at, source) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(s.id(), s.orgId().value(), s.grantId(), s.operatorId(), lookupId, s.secretHash(),
                        utc(s.createdAt()), s.source())
                .update();
    }

    Optional<Session> sessionByLookup(String lookupId) {
        return jdbc.sql("SELECT id, org_id, grant_id, operator_id, secret_hash, created_at, source FROM support_sessions WHERE lookup_id = ?")
                .param(lookupId)
                .query((rs, n) -> new Session(rs.getObject(1, UUID.class), new OrgId(rs.getObject(2, UUID.class)),
                        rs.getObject(3, UUID.class), rs.getString(4), rs.getBytes(5),
                        rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7)))
                .optional();
    }

    List<Session> sessions(OrgId org, UUID grant) {
        return jdbc.sql("SELECT id, org_id, grant_id, operator_id, secret_hash, created_at, source FROM support_sessions "
                        + "WHERE org_id = ? AND grant_id = ? ORDER BY created_at")
                .params(org.value(), grant)
                .query((rs, n) -> new Session(rs.getObject(1, UUID.class), new OrgId(rs.getObject(2, UUID.class)),
                        rs.getObject(3, UUID.class), rs.getString(4), new byte[0],
                        rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7)))
                .list();
    }

    private static SupportGrant grant(ResultSet rs, int n) throws SQLException {
        String operators = rs.getString("operators");
        OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
        return new SupportGrant(rs.getObject("id", UUID.class), new OrgId(rs.getObject("org_id", UUID.class)),
                SupportScope.valueOf(rs.getString("scope")), rs.getString("reason"),
                operators.isEmpty() ? List.of() : Arrays.asList(operators.split(",")),
                rs.getObject("created_by", UUID.class), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(revoked).map(OffsetDateTime::toInstant),
                Optional.ofNullable(rs.getObject("revoked_by", UUID.class)));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
