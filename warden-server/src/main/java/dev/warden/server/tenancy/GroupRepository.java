package dev.warden.server.tenancy;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Groups and their members, always within one org. */
@Repository
public class GroupRepository {
    private final JdbcClient jdbc;

    private final AccessGenerations generations;

    public GroupRepository(JdbcClient jdbc, AccessGenerations generations) {
        this.jdbc = jdbc;
        this.generations = generations;
    }

    public void insert(Group g) {
        generations.changed(g.orgId());
        jdbc.sql("INSERT INTO user_groups (id, org_id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(g.id(), g.orgId().value(), g.name(), g.description(), utc(g.createdAt()), utc(g.updatedAt()))
                .update();
        replaceMembers(g.orgId(), g.id(), g.members());
    }

    public void update(Group g) {
        generations.changed(g.orgId());
        jdbc.sql("UPDATE user_groups SET name = ?, description = ?, updated_at = ? WHERE org_id = ? AND id = ?")
                .params(g.name(), g.description(), utc(g.updatedAt()), g.orgId().value(), g.id())
                .update();
        replaceMembers(g.orgId(), g.id(), g.members());
    }

    public boolean delete(OrgId org, UUID id) {
        generations.changed(org);
        jdbc.sql("DELETE FROM group_members WHERE org_id = ? AND group_id = ?").params(org.value(), id).update();
        return jdbc.sql("DELETE FROM user_groups WHERE org_id = ? AND id = ?").params(org.value(), id).update() == 1;
    }

    public Optional<Group> find(OrgId org, UUID id, boolean forUpdate) {
        return jdbc.sql("SELECT id, name, description, created_at, updated_at FROM user_groups WHERE org_id = ? AND id = ?"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .params(org.value(), id)
                .query((rs, n) -> new Group(rs.getObject("id", UUID.class), org, rs.getString("name"),
                        rs.getString("description"), members(org, id),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("updated_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    public boolean nameTaken(OrgId org, String name, Optional<UUID> except) {
        return jdbc.sql("SELECT COUNT(*) FROM user_groups WHERE org_id = ? AND name = ? AND id <> ?")
                .params(org.value(), name, except.orElse(new UUID(0, 0)))
                .query(Long.class).single() > 0;
    }

    public List<Group> list(OrgId org) {
        Map<UUID, List<UserId>> members = new LinkedHashMap<>();
        jdbc.sql("SELECT group_id, user_id FROM group_members WHERE org_id = ?")
                .param(org.value())
                .query(rs -> {
                    members.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new UserId(rs.getObject(2, UUID.class)));
                });
        return jdbc.sql("SELECT id, name, description, created_at, updated_at FROM user_groups WHERE org_id = ? ORDER BY name")
                .param(org.value())
                .query((rs, n) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    return new Group(id, org, rs.getString("name"), rs.getString("description"),
                            members.getOrDefault(id, List.of()),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                            rs.getObject("updated_at", OffsetDateTime.class).toInstant());
                })
                .list();
    }

    /** Which of these ids are people of this org. Ids of another org are simply not found. */
    public List<UserId> existingUsers(OrgId org, Collection<UserId> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT id FROM users WHERE org_id = :org AND id IN (:ids)")
                .param("org", org.value())
                .param("ids", ids.stream().map(UserId::value).toList())
                .query((rs, n) -> new UserId(rs.getObject(1, UUID.class)))
                .list();
    }

    private List<UserId> members(OrgId org, UUID group) {
        return jdbc.sql("SELECT user_id FROM group_members WHERE org_id = ? AND group_id = ? ORDER BY user_id")
                .params(org.value(), group)
                .query((rs, n) -> new UserId(rs.getObject(1, UUID.class)))
                .list();
    }

    /**
     * Makes the group's members exactly {@code members}: removes the others, adds the missing ones
     * as the admin's. A member who stays keeps the membership's source (admin or identity provider).
     */
    private void replaceMembers(OrgId org, UUID group, List<UserId> members) {
        generations.changed(org);
        java.util.Set<UserId> wanted = new java.util.LinkedHashSet<>(members);
        List<UserId> current = members(org, group);
        for (UserId existing : current) {
            if (!wanted.remove(existing)) {
                removeMember(org, group, existing);
            }
        }
        for (UserId member : wanted) {
            addMember(org, group, member, ADMIN);
        }
    }

    /** A membership an admin made; sign-in never removes it. */
    public static final String ADMIN = "admin";
    /** A membership the identity provider asserted at sign-in; the next sign-in may remove it. */
    public static final String IDP = "idp";

    /** This org's groups with exactly these names, name to id. Names of no group are left out. */
    public Map<String, UUID> idsByName(OrgId org, Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, UUID> found = new LinkedHashMap<>();
        jdbc.sql("SELECT name, id FROM user_groups WHERE org_id = :org AND name IN (:names)")
                .param("org", org.value()).param("names", List.copyOf(names))
                .query(rs -> {
                    found.put(rs.getString(1), rs.getObject(2, UUID.class));
                });
        return found;
    }

    /** A person's membership of a group: the group's name, and who made it ({@link #ADMIN} or {@link #IDP}). */
    public record Membership(String groupName, String source) {}

    /** The person's memberships, by group id. */
    public Map<UUID, Membership> membershipsOf(OrgId org, UserId user) {
        Map<UUID, Membership> found = new LinkedHashMap<>();
        jdbc.sql("SELECT m.group_id, g.name, m.source FROM group_members m JOIN user_groups g ON g.id = m.group_id "
                        + "AND g.org_id = m.org_id WHERE m.org_id = ? AND m.user_id = ?")
                .params(org.value(), user.value())
                .query(rs -> {
                    found.put(rs.getObject(1, UUID.class), new Membership(rs.getString(2), rs.getString(3)));
                });
        return found;
    }

    public void addMember(OrgId org, UUID group, UserId user, String source) {
        generations.changed(org);
        jdbc.sql("INSERT INTO group_members (org_id, group_id, user_id, source) VALUES (?, ?, ?, ?)")
                .params(org.value(), group, user.value(), source).update();
    }

    public void removeMember(OrgId org, UUID group, UserId user) {
        generations.changed(org);
        jdbc.sql("DELETE FROM group_members WHERE org_id = ? AND group_id = ? AND user_id = ?")
                .params(org.value(), group, user.value()).update();
    }

    private static OffsetDateTime utc(java.time.Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
