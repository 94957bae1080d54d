package dev.warden.server.attributes;

import dev.warden.server.tenancy.AccessGenerations;
import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** User attribute definitions and values (per person and per group), within one org. */
@Repository
public class AttributeRepository {
    /** An attribute as an org admin defined it. {@code type} is "string" or "number". */
    public record Definition(String name, String type, boolean multiValued, String defaultValue, String description) {}

    /** One group's values of one attribute, with the group's name (for ordering and display). */
    public record GroupValues(UUID groupId, String groupName, List<String> values) {}

    private final JdbcClient jdbc;

    private final AccessGenerations generations;

    public AttributeRepository(JdbcClient jdbc, AccessGenerations generations) {
        this.jdbc = jdbc;
        this.generations = generations;
    }

    public List<Definition> definitions(OrgId org) {
        return jdbc.sql("SELECT name, type, multi_valued, default_value, description FROM attribute_definitions WHERE org_id = ? ORDER BY name")
                .param(org.value())
                .query((rs, n) -> new Definition(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                        rs.getString(5)))
                .list();
    }

    public Optional<Definition> definition(OrgId org, String name) {
        return definitions(org).stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public void define(OrgId org, Definition d) {
        generations.changed(org);
        jdbc.sql("DELETE FROM attribute_definitions WHERE org_id = ? AND name = ?").params(org.value(), d.name()).update();
        jdbc.sql("INSERT INTO attribute_definitions (org_id, name, type, multi_valued, default_value, description) VALUES (?, ?, ?, ?, ?, ?)")
                .params(org.value(), d.name(), d.type(), d.multiValued(), d.defaultValue(), d.description())
                .update();
    }

    /** Removes a definition and every value of it, of people and groups. */
    public void undefine(OrgId org, String name) {
        generations.changed(org);
        jdbc.sql("DELETE FROM user_attribute_values WHERE org_id = ? AND name = ?").params(org.value(), name).update();
        jdbc.sql("DELETE FROM group_attribute_values WHERE org_id = ? AND name = ?").params(org.value(), name).update();
        jdbc.sql("DELETE FROM attribute_definitions WHERE org_id = ? AND name = ?").params(org.value(), name).update();
    }

    /** Renames a definition and carries its values along. */
    public void rename(OrgId org, String from, String to) {
        generations.changed(org);
        jdbc.sql("UPDATE attribute_definitions SET name = ? WHERE org_id = ? AND name = ?").params(to, org.value(), from).update();
        jdbc.sql("UPDATE user_attribute_values SET name = ? WHERE org_id = ? AND name = ?").params(to, org.value(), from).update();
        jdbc.sql("UPDATE group_attribute_values SET name = ? WHERE org_id = ? AND name = ?").params(to, org.value(), from).update();
    }

    /** The person's own values, name to values in their stored order. */
    public Map<String, List<String>> valuesOf(OrgId org, UserId user) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        jdbc.sql("SELECT name, attr_value FROM user_attribute_values WHERE org_id = ? AND user_id = ? ORDER BY name, ordinal")
                .params(org.value(), user.value())
                .query(rs -> {
                    values.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                });
        return values;
    }

    public void setValues(OrgId org, UserId user, String name, List<String> values) {
        generations.changed(org);
        jdbc.sql("DELETE FROM user_attribute_values WHERE org_id = ? AND user_id = ? AND name = ?")
                .params(org.value(), user.value(), name).update();
        for (int i = 0; i < values.size(); i++) {
            jdbc.sql("INSERT INTO user_attribute_values (org_id, user_id, name, ordinal, attr_value) VALUES (?, ?, ?, ?, ?)")
                    .params(org.value(), user.value(), name, i, values.get(i)).update();
        }
    }

    /** The values the person's groups give them, attribute name to each group's values, groups by name. */
    public Map<String, List<GroupValues>> groupValuesOf(OrgId org, UserId user) {
        Map<String, Map<UUID, GroupValues>> byName = new LinkedHashMap<>();
        jdbc.sql("SELECT v.name, g.id, g.name, v.attr_value FROM group_attribute_values v "
                        + "JOIN user_groups g ON g.id = v.group_id AND g.org_id = v.org_id "
                        + "JOIN group_members m ON m.group_id = g.id AND m.org_id = g.org_id "
                        + "WHERE v.org_id = ? AND m.user_id = ? ORDER BY v.name, g.name, v.ordinal")
                .params(org.value(), user.value())
                .query(rs -> {
                    UUID group = rs.getObject(2, UUID.class);
                    byName.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .computeIfAbsent(group, g -> {
                                try {
                                    return new GroupValues(group, rs.getString(3), new ArrayList<>());
                                } catch (java.sql.SQLException e) {
                                    throw new IllegalStateException(e);
                                }
                            })
                            .values().add(rs.getString(4));
                });
        Map<String, List<GroupValues>> out = new LinkedHashMap<>();
        byName.forEach((k, v) -> out.put(k, List.copyOf(v.values())));
        return out;
    }

    public List<String> groupNamesOf(OrgId org, UserId user) {
        return jdbc.sql("SELECT g.name FROM user_groups g JOIN group_members m ON m.group_id = g.id AND m.org_id = g.org_id "
                        + "WHERE g.org_id = ? AND m.user_id = ? ORDER BY g.name")
                .params(org.value(), user.value())
                .query(String.class).list();
    }

    public Map<String, List<String>> valuesOfGroup(OrgId org, UUID group) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        jdbc.sql("SELECT name, attr_value FROM group_attribute_values WHERE org_id = ? AND group_id = ? ORDER BY name, ordinal")
                .params(org.value(), group)
                .query(rs -> {
                    values.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                });
        return values;
    }

    public void setGroupValues(OrgId org, UUID group, String name, List<String> values) {
        generations.changed(org);
        jdbc.sql("DELETE FROM group_attribute_values WHERE org_id = ? AND group_id = ? AND name = ?")
                .params(org.value(), group, name).update();
        for (int i = 0; i < values.size(); i++) {
            jdbc.sql("INSERT INTO group_attribute_values (org_id, group_id, name, ordinal, attr_value) VALUES (?, ?, ?, ?, ?)")
                    .params(org.value(), group, name, i, values.get(i)).update();
        }
    }
}
