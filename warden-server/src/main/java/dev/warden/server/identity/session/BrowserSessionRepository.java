package dev.warden.server.identity.session;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code browser_sessions} table. */
@Repository
public class BrowserSessionRepository {
    private static final String COLUMNS = "id, realm, org_id, user_id, operator_id, lookup_id, secret_hash, csrf_hash, "
            + "protocol, created_at, last_seen_at, absolute_expires_at, ended_at";

    private final JdbcClient jdbc;

    public BrowserSessionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(BrowserSession s, String source) {
        jdbc.sql("INSERT INTO browser_sessions (" + COLUMNS + ", source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(s.id(), s.realm().name(), s.orgId().map(OrgId::value).orElse(null),
                        s.userId().map(UserId::value).orElse(null), s.operatorId().orElse(null), s.lookupId(),
                        s.secretHash(), s.csrfHash(), s.protocol(), at(s.createdAt()), at(s.lastSeenAt()),
                        at(s.absoluteExpiresAt()), null, source)
                .update();
    }

    Optional<BrowserSession> byLookupId(String lookupId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM browser_sessions WHERE lookup_id = ?").param(lookupId)
                .query(BrowserSessionRepository::map).optional();
    }

    void touch(UUID id, Instant at) {
        jdbc.sql("UPDATE browser_sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL")
                .params(at(at), id).update();
    }

    /** Ends one session; reports whether it was still running. */
    boolean end(UUID id, Instant at, String reason) {
        return jdbc.sql("UPDATE browser_sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL")
                .params(at(at), reason, id).update() == 1;
    }

    /** Ends every running session of a person; returns how many. */
    int endAllOf(OrgId org, UserId user, Instant at, String reason) {
        return jdbc.sql("UPDATE browser_sessions SET ended_at = ?, end_reason = ? "
                        + "WHERE org_id = ? AND user_id = ? AND ended_at IS NULL")
                .params(at(at), reason, org.value(), user.value()).update();
    }

    /** Removes sessions that ended (or timed out) before {@code before}; they can never be used again. */
    int purge(Instant before) {
        return jdbc.sql("DELETE FROM browser_sessions WHERE absolute_expires_at < ? OR ended_at < ?")
                .params(at(before), at(before)).update();
    }

    private static BrowserSession map(ResultSet rs, int n) throws SQLException {
        return new BrowserSession(rs.getObject(1, UUID.class), BrowserSession.Realm.valueOf(rs.getString(2)),
                Optional.ofNullable(rs.getObject(3, UUID.class)).map(OrgId::new),
                Optional.ofNullable(rs.getObject(4, UUID.class)).map(UserId::new),
                Optional.ofNullable(rs.getString(5)), rs.getString(6), rs.getBytes(7), rs.getBytes(8), rs.getString(9),
                instant(rs, 10), instant(rs, 11), instant(rs, 12),
                Optional.ofNullable(rs.getObject(13, OffsetDateTime.class)).map(OffsetDateTime::toInstant));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
