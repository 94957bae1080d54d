package dev.warden.server.models;

import dev.warden.server.tenancy.AccessGenerations;
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

/** Models and their versions, always within one org. Versions are immutable once written. */
@Repository
public class ModelRepository {
    private static final String COLUMNS = "id, org_id, connection_id, name, active_version, cache_ttl_seconds, created_at, updated_at";

    /** One stored version of a model. */
    public record Version(int version, String yaml, String createdBy, Instant createdAt) {}

    private final JdbcClient jdbc;

    private final AccessGenerations generations;

    public ModelRepository(JdbcClient jdbc, AccessGenerations generations) {
        this.jdbc = jdbc;
        this.generations = generations;
    }

    void insert(ModelRecord m) {
        generations.changed(m.orgId());
        jdbc.sql("INSERT INTO models (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(m.id(), m.orgId().value(), m.connectionId(), m.name(), m.activeVersion().orElse(null),
                        m.cacheTtlSeconds(), utc(m.createdAt()), utc(m.updatedAt()))
                .update();
    }

    public Optional<ModelRecord> find(OrgId org, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM models WHERE org_id = ? AND id = ?")
                .params(org.value(), id).query(ModelRepository::map).optional();
    }

    Optional<ModelRecord> findForUpdate(OrgId org, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM models WHERE org_id = ? AND id = ? FOR UPDATE")
                .params(org.value(), id).query(ModelRepository::map).optional();
    }

    Optional<ModelRecord> findByName(OrgId org, String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM models WHERE org_id = ? AND name = ?")
                .params(org.value(), name).query(ModelRepository::map).optional();
    }

    public List<ModelRecord> list(OrgId org) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM models WHERE org_id = ? ORDER BY name")
                .param(org.value()).query(ModelRepository::map).list();
    }

    void activate(OrgId org, UUID id, int version, Instant at) {
        generations.changed(org);
        jdbc.sql("UPDATE models SET active_version = ?, updated_at = ? WHERE org_id = ? AND id = ?")
                .params(version, utc(at), org.value(), id).update();
    }

    int nextVersion(OrgId org, UUID model) {
        return jdbc.sql("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE org_id = ? AND model_id = ?")
                .params(org.value(), model).query(Integer.class).single();
    }

    void insertVersion(OrgId org, UUID model, Version v) {
        generations.changed(org);
        jdbc.sql("INSERT INTO model_versions (org_id, model_id, version, yaml, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(org.value(), model, v.version(), v.yaml(), v.createdBy(), utc(v.createdAt())).update();
    }

    public Optional<Version> version(OrgId org, UUID model, int version) {
        return jdbc.sql("SELECT version, yaml, created_by, created_at FROM model_versions WHERE org_id = ? AND model_id = ? AND version = ?")
                .params(org.value(), model, version)
                .query((rs, n) -> new Version(rs.getInt(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()))
                .optional();
    }

    List<Version> versions(OrgId org, UUID model) {
        return jdbc.sql("SELECT version, created_by, created_at FROM model_versions WHERE org_id = ? AND model_id = ? ORDER BY version")
                .params(org.value(), model)
                .query((rs, n) -> new Version(rs.getInt(1), "", rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant()))
                .list();
    }

    private static ModelRecord map(ResultSet rs, int n) throws SQLException {
        int active = rs.getInt("active_version");
        // wasNull right after its own read: it answers for the last column read, whichever that is.
        Optional<Integer> activeVersion = rs.wasNull() ? Optional.empty() : Optional.of(active);
        return new ModelRecord(rs.getObject("id", UUID.class), new OrgId(rs.getObject("org_id", UUID.class)),
                rs.getObject("connection_id", UUID.class), rs.getString("name"),
                activeVersion, rs.getInt("cache_ttl_seconds"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
