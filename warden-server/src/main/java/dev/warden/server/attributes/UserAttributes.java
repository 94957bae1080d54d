package dev.warden.server.attributes;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import dev.warden.server.tenancy.AccessGenerations;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The attribute values a person's requests carry, resolved for every request (at authentication),
 * so that any change applies to the very next request on every node: each request reads the
 * org's access generation, and the resolved values are cached per (org, generation, person);
 * every change of values, definitions, groups or memberships moves the generation. The rule, for each attribute:
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
    private final AccessGenerations generations;
    /** Resolved values per (org, generation, person): any change of values, groups or definitions moves the generation. */
    private final AccessGenerations.Scoped<Person, Map<String, List<String>>> resolved;
    /** Defaults per (org, generation). */
    private final AccessGenerations.Scoped<String, Map<String, List<String>>> defaults;

    private record Person(UserId user, String email) {}

    public UserAttributes(AttributeRepository attributes, AccessGenerations generations) {
        this.attributes = attributes;
        this.generations = generations;
        this.resolved = generations.cache(20_000);
        this.defaults = generations.cache(1_000);
    }

    /** The person's values now: reads the org's generation, then the values of that generation. */
    @Transactional(readOnly = true, propagation = Propagation.SUPPORTS)
    public Map<String, List<String>> valuesOf(OrgId org, UserId user, String email) {
        return valuesOf(org, generations.current(org), user, email);
    }

    /**
     * The person's values in the given generation of the org (read by the caller in this request),
     * from the node's cache or resolved afresh. The map is immutable.
     */
    @Transactional(readOnly = true, propagation = Propagation.SUPPORTS)
    public Map<String, List<String>> valuesOf(OrgId org, long generation, UserId user, String email) {
        return resolved.get(org, generation, new Person(user, email), () -> resolve(org, user, email));
    }

    private Map<String, List<String>> resolve(OrgId org, UserId user, String email) {
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
        return Collections.unmodifiableMap(values);
    }

    /**
     * The defaults that apply to a person whose values are {@code values}: every attribute's
     * default, except where the person's groups disagreed (an empty list), which must deny.
     */
    @Transactional(readOnly = true, propagation = Propagation.SUPPORTS)
    public Map<String, List<String>> defaultsFor(OrgId org, Map<String, List<String>> values) {
        return defaultsFor(org, generations.current(org), values);
    }

    /** {@link #defaultsFor(OrgId, Map)} in the given generation of the org; immutable. */
    @Transactional(readOnly = true, propagation = Propagation.SUPPORTS)
    public Map<String, List<String>> defaultsFor(OrgId org, long generation, Map<String, List<String>> values) {
        Map<String, List<String>> defaults = defaults(org, generation);
        Map<String, List<String>> applicable = null; // the shared map, unless something must be taken out
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            if (e.getValue().isEmpty() && defaults.containsKey(e.getKey())) {
                if (applicable == null) {
                    applicable = new LinkedHashMap<>(defaults);
                }
                applicable.remove(e.getKey());
            }
        }
        return applicable == null ? defaults : Collections.unmodifiableMap(applicable);
    }

    /** Each defined attribute's default, for people who have no value of their own. */
    @Transactional(readOnly = true, propagation = Propagation.SUPPORTS)
    public Map<String, List<String>> defaults(OrgId org) {
        return defaults(org, generations.current(org));
    }

    /** The defaults in the given generation of the org; immutable. */
    @Transactional(readOnly = true, propagation = Propagation.SUPPORTS)
    public Map<String, List<String>> defaults(OrgId org, long generation) {
        return defaults.get(org, generation, "", () -> {
            Map<String, List<String>> result = new LinkedHashMap<>();
            for (AttributeRepository.Definition d : attributes.definitions(org)) {
                if (d.defaultValue() != null) {
                    result.put(d.name(), List.of(d.defaultValue()));
                }
            }
            return Collections.unmodifiableMap(result);
        });
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
