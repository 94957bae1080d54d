package dev.warden.server.identity;

import dev.warden.server.tenancy.AccessGenerations;
import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
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

/** Stored API keys. Reads for management are org-scoped; authentication looks up by lookup id. */
@Repository
public class ApiKeyRepository {
    private static final String COLUMNS =
            "id, org_id, user_id, name, lookup_id, secret_hash, created_at, expires_at, last_used_at, revoked_at";

    private final JdbcClient jdbc;

    private final AccessGenerations generations;

    public ApiKeyRepository(JdbcClient jdbc, AccessGenerations generations) {
        this.jdbc = jdbc;
        this.generations = generations;
    }

    void insert(ApiKey k) {
        generations.changed(k.orgId());
        jdbc.sql("INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(k.id(), k.orgId().value(), k.userId().value(), k.name(), k.lookupId(), k.secretHash(),
                        utc(k.createdAt()), k.expiresAt().map(ApiKeyRepository::utc).orElse(null), null, null)
                .update();
    }

    /** The one read that is not org-scoped: authentication, before any org is known. */
    Optional<ApiKey> findByLookupId(String lookupId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE lookup_id = ?")
                .param(lookupId)
                .query(ApiKeyRepository::map)
                .optional();
    }

    /** A stored key with its org's access generation, read together in the same statement. */
    record Found(ApiKey key, long generation) {}

    /**
     * Authentication's one statement: the key (so that revocation and expiry are seen at once) and
     * its org's access generation, which keys every cache of the request's derived data.
     */
    Optional<Found> findForAuthentication(String lookupId) {
        return jdbc.sql("SELECT k.id, k.org_id, k.user_id, k.name, k.lookup_id, k.secret_hash, k.created_at, "
                        + "k.expires_at, k.last_used_at, k.revoked_at, o.access_generation "
                        + "FROM api_keys k JOIN orgs o ON o.id = k.org_id WHERE k.lookup_id = ?")
                .param(lookupId)
                .query((rs, n) -> new Found(map(rs, n), rs.getLong("access_generation")))
                .optional();
    }

    Optional<ApiKey> find(OrgId org, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE org_id = ? AND id = ?")
                .params(org.value(), id)
                .query(ApiKeyRepository::map)
                .optional();
    }

    List<ApiKey> list(OrgId org, Optional<UserId> owner) {
        if (owner.isPresent()) {
            return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE org_id = ? AND user_id = ? ORDER BY created_at")
                    .params(org.value(), owner.get().value())
                    .query(ApiKeyRepository::map)
                    .list();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE org_id = ? ORDER BY created_at")
                .param(org.value())
                .query(ApiKeyRepository::map)
                .list();
    }

    boolean revoke(OrgId org, UUID id, Instant at) {
        generations.changed(org);
        return jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL")
                .params(utc(at), org.value(), id)
                .update() == 1;
    }

    void touch(UUID id, Instant at) {
        jdbc.sql("UPDATE api_keys SET last_used_at = ? WHERE id = ?").params(utc(at), id).update();
    }

    private static ApiKey map(ResultSet rs, int n) throws SQLException {
        return new ApiKey(rs.getObject("id", UUID.class), new OrgId(rs.getObject("org_id", UUID.class)),
                new UserId(rs.getObject("user_id", UUID.class)), rs.getString("name"), rs.getString("lookup_id"),
                rs.getBytes("secret_hash"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                instant(rs, "expires_at"), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
