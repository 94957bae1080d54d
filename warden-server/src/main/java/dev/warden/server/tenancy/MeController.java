package dev.warden.server.tenancy;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.ActorKind;
import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.OrgRole;
import dev.warden.server.access.Permission;
import dev.warden.server.access.PermissionMatrix;
import dev.warden.server.access.Requires;
import dev.warden.server.problem.ResourceNotFound;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who the caller is, as Warden sees them: what every client asks first. */
@RestController
final class MeController {
    private final CurrentAccess access;
    private final Tenants tenants;

    MeController(CurrentAccess access, Tenants tenants) {
        this.access = access;
        this.tenants = tenants;
    }

    record OrgView(UUID id, String slug, String name) {}

    record MeView(OrgView org, UUID userId, String actorLabel, ActorKind actorKind, OrgRole orgRole,
                  List<Permission> permissions, Map<String, List<String>> attributes, Object supportGrant,
                  String requestId) {}

    @GetMapping("/api/v1/me")
    @Requires(Permission.SELF_READ)
    MeView me() {
        AccessContext c = access.require();
        Org org = tenants.find(c.orgId()).orElseThrow(() -> new ResourceNotFound("org"));
        List<Permission> held = java.util.Arrays.stream(Permission.values())
                .filter(p -> PermissionMatrix.decide(c, p).granted()).toList();
        return new MeView(new OrgView(org.id().value(), org.slug(), org.name()),
                c.userId().map(u -> u.value()).orElse(null), c.actorLabel(), c.actorKind(), c.orgRole(), held,
                c.attributes(), c.supportGrant().map(g -> java.util.Map.of("grant_id", g.grantId().toString(),
                        "scope", g.scope().name(), "reason", g.reason(), "operator", g.operatorId())).orElse(null),
                c.requestId());
    }
}
