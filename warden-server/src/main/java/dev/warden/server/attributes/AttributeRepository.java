package dev.warden.server.attributes;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** User attribute definitions and each person's values, within one org. */
@Repository
public class AttributeRepository {
    /** An attribute as an org admin defined it. */
    public record Definition(String name, String type, boolean multiValued, String defaultValue, String description) {}

    private final JdbcClient jdbc;

    public AttributeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Definition> definitions(OrgId org) {
        return jdbc.sql("SELECT name, type, multi_valued, default_value, description FROM attribute_definitions WHERE org_id = ? ORDER BY name")
                .param(org.value())
                .query((rs, n) -> new Definition(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                        rs.getString(5)))
                .list();
    }

    public void define(OrgId org, Definition d) {
        jdbc.sql("DELETE FROM attribute_definitions WHERE org_id = ? AND name = ?").params(org.value(), d.name()).update();
        jdbc.sql("INSERT INTO attribute_definitions (org_id, name, type, multi_valued, default_value, description) VALUES (?, ?, ?, ?, ?, ?)")
                .params(org.value(), d.name(), d.type(), d.multiValued(), d.defaultValue(), d.description())
                .update();
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
        jdbc.sql("DELETE FROM user_attribute_values WHERE org_id = ? AND user_id = ? AND name = ?")
                .params(org.value(), user.value(), name).update();
        for (int i = 0; i < values.size(); i++) {
            jdbc.sql("INSERT INTO user_attribute_values (org_id, user_id, name, ordinal, attr_value) VALUES (?, ?, ?, ?, ?)")
                    .params(org.value(), user.value(), name, i, values.get(i)).update();
        }
    }
}
