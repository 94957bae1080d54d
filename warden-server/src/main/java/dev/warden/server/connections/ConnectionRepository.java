package dev.warden.server.connections;

import dev.warden.server.tenancy.AccessGenerations;
import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Connections of one org, and the roles granted on them. Every method is org-scoped. */
@Repository
public class ConnectionRepository {
    private static final String COLUMNS =
            "id, org_id, name, type, settings, secret_kind, secret_sealed, base_role, version, created_at, updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    private final AccessGenerations generations;

    public ConnectionRepository(JdbcClient jdbc, AccessGenerations generations) {
        this.jdbc = jdbc;
        this.generations = generations;
    }

    void insert(Connection c) {
        generations.changed(c.orgId());
        jdbc.sql("INSERT INTO connections (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(c.id(), c.orgId().value(), c.name(), c.type().name(), json.writeValueAsString(c.settings()),
                        c.secretKind().map(Enum::name).orElse(null), c.sealedSecret().orElse(null),
                        c.baseRole().name(), c.version(), utc(c.createdAt()), utc(c.updatedAt()))
                .update();
    }

    void update(Connection c) {
        generations.changed(c.orgId());
        jdbc.sql("UPDATE connections SET name = ?, settings = ?, secret_kind = ?, secret_sealed = ?, base_role = ?, "
                        + "version = ?, updated_at = ? WHERE org_id = ? AND id = ?")
                .params(c.name(), json.writeValueAsString(c.settings()), c.secretKind().map(Enum::name).orElse(null),
                        c.sealedSecret().orElse(null), c.baseRole().name(), c.version(), utc(c.updatedAt()),
                        c.orgId().value(), c.id())
                .update();
    }

    boolean delete(OrgId org, UUID id) {
        generations.changed(org);
        return jdbc.sql("DELETE FROM connections WHERE org_id = ? AND id = ?").params(org.value(), id).update() == 1;
    }

    public Optional<Connection> find(OrgId org, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connections WHERE org_id = ? AND id = ?")
                .params(org.value(), id)
                .query(this::map)
                .optional();
    }

    public Optional<Connection> findByName(OrgId org, String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connections WHERE org_id = ? AND name = ?")
                .params(org.value(), name)
                .query(this::map)
                .optional();
    }

    public List<Connection> list(OrgId org) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connections WHERE org_id = ? ORDER BY name")
                .param(org.value())
                .query(this::map)
                .list();
    }

    /** Every connection of every org: for the key-rotation job only. */
    public List<Connection> allWithSecrets() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connections WHERE secret_sealed IS NOT NULL")
                .query(this::map)
                .list();
    }

    public void replaceSealedSecret(Connection c, byte[] sealed) {
        generations.changed(c.orgId());
        jdbc.sql("UPDATE connections SET secret_sealed = ? WHERE org_id = ? AND id = ?")
                .params(sealed, c.orgId().value(), c.id())
                .update();
    }

    /** The roles granted on a connection to this person directly or through their groups. */
    List<ConnectionRole> grantsFor(OrgId org, UUID connection, UserId user) {
        return jdbc.sql("SELECT g.role FROM connection_grants g WHERE g.org_id = :org AND g.connection_id = :c AND "
                        + "(g.user_id = :u OR g.group_id IN (SELECT m.group_id FROM group_members m "
                        + "WHERE m.org_id = :org AND m.user_id = :u))")
                .param("org", org.value())
                .param("c", connection)
                .param("u", user.value())
                .query((rs, n) -> ConnectionRole.valueOf(rs.getString(1)))
                .list();
    }

    void grantToUser(OrgId org, UUID connection, UserId user, ConnectionRole role) {
        generations.changed(org);
        jdbc.sql("DELETE FROM connection_grants WHERE org_id = ? AND connection_id = ? AND user_id = ?")
                .params(org.value(), connection, user.value()).update();
        jdbc.sql("INSERT INTO connection_grants (org_id, connection_id, user_id, role) VALUES (?, ?, ?, ?)")
                .params(org.value(), connection, user.value(), role.name()).update();
    }

    /** One grant on a connection: to a person or to a group. */
    public record Grant(Optional<UserId> user, Optional<UUID> group, ConnectionRole role) {}

    List<Grant> grants(OrgId org, UUID connection) {
        return jdbc.sql("SELECT user_id, group_id, role FROM connection_grants WHERE org_id = ? AND connection_id = ? "
                        + "ORDER BY user_id, group_id")
                .params(org.value(), connection)
                .query((rs, n) -> new Grant(Optional.ofNullable(rs.getObject(1, UUID.class)).map(UserId::new),
                        Optional.ofNullable(rs.getObject(2, UUID.class)), ConnectionRole.valueOf(rs.getString(3))))
                .list();
    }

    void grantToGroup(OrgId org, UUID connection, UUID group, ConnectionRole role) {
        generations.changed(org);
        jdbc.sql("DELETE FROM connection_grants WHERE org_id = ? AND connection_id = ? AND group_id = ?")
                .params(org.value(), connection, group).update();
        jdbc.sql("INSERT INTO connection_grants (org_id, connection_id, group_id, role) VALUES (?, ?, ?, ?)")
                .params(org.value(), connection, group, role.name()).update();
    }

    boolean revokeFromUser(OrgId org, UUID connection, UserId user) {
        generations.changed(org);
        return jdbc.sql("DELETE FROM connection_grants WHERE org_id = ? AND connection_id = ? AND user_id = ?")
                .params(org.value(), connection, user.value()).update() > 0;
    }

    boolean revokeFromGroup(OrgId org, UUID connection, UUID group) {
        generations.changed(org);
        return jdbc.sql("DELETE FROM connection_grants WHERE org_id = ? AND connection_id = ? AND group_id = ?")
                .params(org.value(), connection, group).update() > 0;
    }

    private Connection map(ResultSet rs, int n) throws SQLException {
        return new Connection(rs.getObject("id", UUID.class), new OrgId(rs.getObject("org_id", UUID.class)),
                rs.getString("name"), ConnectionType.valueOf(rs.getString("type")),
                json.readValue(rs.getString("settings"), ConnectionSettings.class),
                Optional.ofNullable(rs.getString("secret_kind")).map(Connection.SecretKind::valueOf),
                Optional.ofNullable(rs.getBytes("secret_sealed")),
                ConnectionRole.valueOf(rs.getString("base_role")), rs.getInt("version"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(java.time.Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
