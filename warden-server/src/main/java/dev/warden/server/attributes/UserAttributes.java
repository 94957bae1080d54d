package dev.warden.server.attributes;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The attribute values a person's requests carry, resolved on every request (at authentication),
 * so that any change applies to the very next request on every node. The rule, for each attribute:
 * <ol>
 *   <li>the person's own value, when they have one, wins entirely;</li>
 *   <li>else their groups' values: for a multi-valued attribute the union of every group's values
 *       (groups in name order, duplicates dropped); for a single-valued one the groups' value when
 *       they all agree, and <em>no value</em> when they disagree, because picking one would widen
 *       or narrow access by accident (deny by default);</li>
 *   <li>else the attribute's default, applied by the compiler's policy; else no value, which
 *       denies wherever the model needs one.</li>
 * </ol>
 * Warden fills read-only system attributes: {@code warden_user_id}, {@code warden_user_email},
 * {@code warden_user_groups} (group names).
 */
@Service
@Transactional(readOnly = true)
public class UserAttributes {
    public static final String USER_ID = "warden_user_id";
    public static final String USER_EMAIL = "warden_user_email";
    public static final String USER_GROUPS = "warden_user_groups";
    public static final Set<String> SYSTEM = Set.of(USER_ID, USER_EMAIL, USER_GROUPS);

    private final AttributeRepository attributes;

    public UserAttributes(AttributeRepository attributes) {
        this.attributes = attributes;
    }

    public Map<String, List<String>> valuesOf(OrgId org, UserId user, String email) {
        Map<String, AttributeRepository.Definition> definitions = new LinkedHashMap<>();
        attributes.definitions(org).forEach(d -> definitions.put(d.name(), d));
        Map<String, List<String>> own = attributes.valuesOf(org, user);
        Map<String, List<AttributeRepository.GroupValues>> fromGroups = attributes.groupValuesOf(org, user);
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String name : definitions.keySet()) {
            List<String> mine = own.get(name);
            if (mine != null && !mine.isEmpty()) {
                values.put(name, List.copyOf(mine));
                continue;
            }
            List<AttributeRepository.GroupValues> groups = fromGroups.getOrDefault(name, List.of());
            if (groups.isEmpty()) {
                continue;
            }
            if (definitions.get(name).multiValued()) {
                Set<String> union = new LinkedHashSet<>();
                groups.forEach(g -> union.addAll(g.values()));
                values.put(name, List.copyOf(union));
            } else {
                Set<String> distinct = new TreeSet<>();
                groups.forEach(g -> distinct.addAll(g.values()));
                // Disagreeing groups give an explicit "no value": an empty list, which also keeps the
                // attribute's default from applying (see defaultsFor).
                values.put(name, distinct.size() == 1 ? List.copyOf(distinct) : List.of());
            }
        }
        values.put(USER_ID, List.of(user.toString()));
        values.put(USER_EMAIL, List.of(email));
        values.put(USER_GROUPS, List.copyOf(attributes.groupNamesOf(org, user)));
        return values;
    }

    /**
     * The defaults that apply to a person whose values are {@code values}: every attribute's
     * default, except where the person's groups disagreed (an empty list), which must deny.
     */
    public Map<String, List<String>> defaultsFor(OrgId org, Map<String, List<String>> values) {
        Map<String, List<String>> defaults = defaults(org);
        values.forEach((name, list) -> {
            if (list.isEmpty()) {
                defaults.remove(name);
            }
        });
        return defaults;
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

    public Set<String> definedNames(OrgId org) {
        Set<String> names = new TreeSet<>(SYSTEM);
        attributes.definitions(org).forEach(d -> names.add(d.name()));
        return names;
    }

    /** What the person's groups say, for showing an admin where a value comes from. */
    public Map<String, List<AttributeRepository.GroupValues>> groupValuesOf(OrgId org, UserId user) {
        return attributes.groupValuesOf(org, user);
    }

    public Map<String, List<String>> ownValuesOf(OrgId org, UserId user) {
        return new LinkedHashMap<>(attributes.valuesOf(org, user));
    }

    static List<String> copy(List<String> values) {
        return new ArrayList<>(values);
    }
}
