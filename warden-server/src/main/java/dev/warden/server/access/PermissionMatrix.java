package dev.warden.server.access;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Who holds which {@link Permission}: one table, mirrored in docs/PERMISSIONS.md and tested as
 * a matrix (every role against every endpoint). Deny by default: a permission missing from a
 * row is refused.
 *
 * <p>Two axes decide: the org role of the person, and the kind of actor. An API key acts as its
 * owner, so it gets its owner's row.
 */
public final class PermissionMatrix {
    private static final Set<Permission> MEMBER = EnumSet.of(Permission.SELF_READ, Permission.OWN_API_KEYS,
            Permission.CONNECTIONS, Permission.QUERY);

    private static final Set<Permission> ORG_ADMIN = EnumSet.allOf(Permission.class);

    private static final Map<OrgRole, Set<Permission>> BY_ROLE = new EnumMap<>(Map.of(
            OrgRole.MEMBER, MEMBER,
            OrgRole.ORG_ADMIN, ORG_ADMIN));

    /** Actors that act as a person get the person's row. */
    private static final Set<ActorKind> PERSON_ACTORS = EnumSet.of(ActorKind.USER, ActorKind.API_KEY);

    /**
     * Operators hold what their grant's scope allows, read-only (EndpointGuard refuses them every
     * write but a query): never keys, SSO, support grants, the audit log or attribute changes.
     */
    private static final Map<SupportScope, Set<Permission>> BY_SCOPE = new EnumMap<>(Map.of(
            SupportScope.METADATA, EnumSet.of(Permission.SELF_READ, Permission.USERS_READ, Permission.GROUPS_READ,
                    Permission.ATTRIBUTES_READ, Permission.CONNECTIONS),
            SupportScope.DATA, EnumSet.of(Permission.SELF_READ, Permission.USERS_READ, Permission.GROUPS_READ,
                    Permission.ATTRIBUTES_READ, Permission.CONNECTIONS, Permission.QUERY)));

    private PermissionMatrix() {}

    public static AccessDecision decide(AccessContext context, Permission permission) {
        if (context.actorKind() == ActorKind.OPERATOR) {
            SupportScope scope = context.supportGrant().orElseThrow().scope();
            return BY_SCOPE.get(scope).contains(permission)
                    ? AccessDecision.grant("support grant with scope " + scope + " covers " + permission)
                    : AccessDecision.deny("support access with scope " + scope + " does not allow " + describe(permission));
        }
        if (!PERSON_ACTORS.contains(context.actorKind())) {
            return AccessDecision.deny("a " + context.actorKind() + " actor may not " + describe(permission));
        }
        if (BY_ROLE.getOrDefault(context.orgRole(), Set.of()).contains(permission)) {
            return AccessDecision.grant(context.orgRole() + " holds " + permission);
        }
        return AccessDecision.deny("your role (" + context.orgRole() + ") may not " + describe(permission));
    }

    public static Set<Permission> permissionsOf(SupportScope scope) {
        return Set.copyOf(BY_SCOPE.get(scope));
    }

    public static Set<Permission> permissionsOf(OrgRole role) {
        return Set.copyOf(BY_ROLE.getOrDefault(role, Set.of()));
    }

    private static String describe(Permission permission) {
        return permission.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
