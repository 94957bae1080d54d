package dev.warden.server.attributes;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The attribute values a person's requests carry. Read at authentication, on every request, so
 * a change applies to the very next request on every node. Besides the values an admin set,
 * Warden fills read-only system attributes: {@code warden_user_id} and {@code warden_user_email}.
 */
@Service
@Transactional(readOnly = true)
public class UserAttributes {
    public static final String USER_ID = "warden_user_id";
    public static final String USER_EMAIL = "warden_user_email";

    private final AttributeRepository attributes;

    public UserAttributes(AttributeRepository attributes) {
        this.attributes = attributes;
    }

    public Map<String, List<String>> valuesOf(OrgId org, UserId user, String email) {
        Map<String, List<String>> values = new LinkedHashMap<>(attributes.valuesOf(org, user));
        values.put(USER_ID, List.of(user.toString()));
        values.put(USER_EMAIL, List.of(email));
        return values;
    }

    /** Each defined attribute's default, for people who have no value of their own. */
    public Map<String, List<String>> defaults(OrgId org) {
        Map<String, List<String>> defaults = new LinkedHashMap<>();
        for (AttributeRepository.Definition d : attributes.definitions(org)) {
            if (d.defaultValue() != null) {
                defaults.put(d.name(), List.of(d.defaultValue()));
            }
        }
        return defaults;
    }

    public java.util.Set<String> definedNames(OrgId org) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        attributes.definitions(org).forEach(d -> names.add(d.name()));
        names.add(USER_ID);
        names.add(USER_EMAIL);
        return names;
    }
}
