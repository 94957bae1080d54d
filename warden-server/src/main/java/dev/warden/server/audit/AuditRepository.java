package dev.warden.server.audit;

import dev.warden.server.access.OrgId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Storage of audit chains. Every method is scoped to one org. */
@Repository
public class AuditRepository {
    record Head(long seq, String hash) {}

    /** Filters of the audit-event listing; absent values do not filter. */
    public record Filter(Optional<Instant> from, Optional<Instant> to, Optional<String> actor,
                         Optional<String> action, Optional<Long> beforeSeq, Optional<String> targetId) {
        public Filter(Optional<Instant> from, Optional<Instant> to, Optional<String> actor, Optional<String> action,
                      Optional<Long> beforeSeq) {
            this(from, to, actor, action, beforeSeq, Optional.empty());
        }

        /** Every event about one target (e.g. a support grant), newest first. */
        public static Filter aboutTarget(String targetId) {
            return new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(targetId));
        }
    }

    private static final String COLUMNS = "id, org_id, seq, occurred_at, actor_kind, actor_id, actor_label, action, "
            + "outcome, target_type, target_id, request_id, details, prev_hash, hash";

    private final JdbcClient jdbc;

    public AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the org's empty chain; called once, when the org is created. */
    public void createChain(OrgId org) {
        jdbc.sql("INSERT INTO audit_heads (org_id, seq, hash) VALUES (?, 0, ?)")
                .params(org.value(), AuditChain.GENESIS)
                .update();
    }

    Head lockHead(OrgId org) {
        return jdbc.sql("SELECT seq, hash FROM audit_heads WHERE org_id = ? FOR UPDATE")
                .param(org.value())
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .optional()
                .orElseThrow(() -> new IllegalStateException("org has no audit chain"));
    }

    void moveHead(OrgId org, long seq, String hash) {
        jdbc.sql("UPDATE audit_heads SET seq = ?, hash = ? WHERE org_id = ?")
                .params(seq, hash, org.value())
                .update();
    }

    void insert(AuditEvent e) {
        jdbc.sql("INSERT INTO audit_events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(e.id(), e.orgId(), e.seq(), OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC),
                        e.actorKind(), e.actorId(), e.actorLabel(), e.action(), e.outcome(), e.targetType(),
                        e.targetId(), e.requestId(), e.details(), e.prevHash(), e.hash())
                .update();
    }

    Optional<Head> head(OrgId org) {
        return jdbc.sql("SELECT seq, hash FROM audit_heads WHERE org_id = ?")
                .param(org.value())
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .optional();
    }

    /** Newest first, at most {@code limit}, older than the cursor's seq. */
    List<AuditEvent> find(OrgId org, Filter filter, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_events WHERE org_id = :org");
        var params = new java.util.HashMap<String, Object>();
        params.put("org", org.value());
        filter.from().ifPresent(v -> {
            sql.append(" AND occurred_at >= :from");
            params.put("from", OffsetDateTime.ofInstant(v, ZoneOffset.UTC));
        });
        filter.to().ifPresent(v -> {
            sql.append(" AND occurred_at < :to");
            params.put("to", OffsetDateTime.ofInstant(v, ZoneOffset.UTC));
        });
        filter.actor().ifPresent(v -> {
            sql.append(" AND (actor_label = :actor OR actor_id = :actor)");
            params.put("actor", v);
        });
        filter.action().ifPresent(v -> {
            sql.append(" AND action = :action");
            params.put("action", v);
        });
        filter.targetId().ifPresent(v -> {
            sql.append(" AND target_id = :target");
            params.put("target", v);
        });
        filter.beforeSeq().ifPresent(v -> {
            sql.append(" AND seq < :before");
            params.put("before", v);
        });
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        params.put("limit", limit);
        return jdbc.sql(sql.toString()).params(params).query(AuditRepository::map).list();
    }

    /** Oldest first, from {@code afterSeq} exclusive: for verification and export. */
    List<AuditEvent> page(OrgId org, long afterSeq, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_events WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?")
                .params(org.value(), afterSeq, limit)
                .query(AuditRepository::map)
                .list();
    }

    private static AuditEvent map(ResultSet rs, int n) throws SQLException {
        return new AuditEvent(
                rs.getObject("id", UUID.class),
                rs.getObject("org_id", UUID.class),
                rs.getLong("seq"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("actor_kind"),
                rs.getString("actor_id"),
                rs.getString("actor_label"),
                rs.getString("action"),
                rs.getString("outcome"),
                rs.getString("target_type"),
                rs.getString("target_id"),
                rs.getString("request_id"),
                rs.getString("details"),
                rs.getString("prev_hash"),
                rs.getString("hash"));
    }
}
