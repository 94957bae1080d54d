package dev.warden.server.tenancy;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.OrgRole;
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

/** People, always within one org: every method takes the org and filters by it. */
@Repository
public class UserRepository {
    private static final String COLUMNS = "id, org_id, email, display_name, org_role, disabled, created_at, updated_at";

    private final JdbcClient jdbc;

    private final AccessGenerations generations;

    public UserRepository(JdbcClient jdbc, AccessGenerations generations) {
        this.jdbc = jdbc;
        this.generations = generations;
    }

    public void insert(User u) {
        generations.changed(u.orgId());
        jdbc.sql("INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(u.id().value(), u.orgId().value(), u.email(), u.displayName(), u.orgRole().name(),
                        u.disabled(), utc(u.createdAt()), utc(u.updatedAt()))
                .update();
    }

    public void update(User u) {
        generations.changed(u.orgId());
        jdbc.sql("UPDATE users SET display_name = ?, org_role = ?, disabled = ?, updated_at = ? WHERE org_id = ? AND id = ?")
                .params(u.displayName(), u.orgRole().name(), u.disabled(), utc(u.updatedAt()), u.orgId().value(),
                        u.id().value())
                .update();
    }

    public boolean delete(OrgId org, UserId id) {
        generations.changed(org);
        return jdbc.sql("DELETE FROM users WHERE org_id = ? AND id = ?").params(org.value(), id.value()).update() == 1;
    }

    public Optional<User> find(OrgId org, UserId id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE org_id = ? AND id = ?")
                .params(org.value(), id.value())
                .query(UserRepository::map)
                .optional();
    }

    /** Same as {@link #find}, and locks the row until the transaction ends. */
    public Optional<User> findForUpdate(OrgId org, UserId id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE org_id = ? AND id = ? FOR UPDATE")
                .params(org.value(), id.value())
                .query(UserRepository::map)
                .optional();
    }

    public Optional<User> findByEmail(OrgId org, String email) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE org_id = ? AND email = ?")
                .params(org.value(), email)
                .query(UserRepository::map)
                .optional();
    }

    public List<User> list(OrgId org) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE org_id = ? ORDER BY email")
                .param(org.value())
                .query(UserRepository::map)
                .list();
    }

    /** Active admins of the org, locked: so two requests cannot each remove "another" last admin. */
    public List<UserId> lockActiveAdmins(OrgId org) {
        return jdbc.sql("SELECT id FROM users WHERE org_id = ? AND org_role = ? AND disabled = FALSE FOR UPDATE")
                .params(org.value(), OrgRole.ORG_ADMIN.name())
                .query((rs, n) -> new UserId(rs.getObject(1, UUID.class)))
                .list();
    }

    static User map(ResultSet rs, int n) throws SQLException {
        return new User(new UserId(rs.getObject("id", UUID.class)), new OrgId(rs.getObject("org_id", UUID.class)),
                rs.getString("email"), rs.getString("display_name"), OrgRole.valueOf(rs.getString("org_role")),
                rs.getBoolean("disabled"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(java.time.Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
