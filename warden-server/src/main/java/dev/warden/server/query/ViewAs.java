package dev.warden.server.query;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.AccessDenied;
import dev.warden.server.access.ActorKind;
import dev.warden.server.access.OrgRole;
import dev.warden.server.access.UserId;
import dev.warden.server.attributes.UserAttributes;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.problem.ResourceNotFound;
import dev.warden.server.tenancy.People;
import dev.warden.server.tenancy.User;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * "View as": an org admin sees exactly what a chosen person would see, by building that person's
 * access context (role, attributes, groups) as their own sign-in would, fresh on every request.
 * Only a person who is ORG_ADMIN may do it (never an operator or another actor kind), never as
 * another admin, and each use is an audit event naming both people.
 */
@Service
public class ViewAs {
    private final People people;
    private final UserAttributes attributes;
    private final AuditLog audit;

    public ViewAs(People people, UserAttributes attributes, AuditLog audit) {
        this.people = people;
        this.attributes = attributes;
        this.audit = audit;
    }

    public AccessContext as(AccessContext admin, String asUser, String purpose) {
        if (!admin.isOrgAdmin() || (admin.actorKind() != ActorKind.USER && admin.actorKind() != ActorKind.API_KEY)) {
            throw new AccessDenied("only an org admin can view as another person");
        }
        UUID id;
        try {
            id = UUID.fromString(asUser);
        } catch (IllegalArgumentException e) {
            throw new ResourceNotFound("user");
        }
        User target = people.get(admin, new UserId(id));
        if (target.orgRole() == OrgRole.ORG_ADMIN) {
            audit.appendAlone(admin.orgId(), AuditRecord.of(AuditActor.of(admin), "view_as")
                    .outcome(AuditRecord.Outcome.DENIED).target("user", target.id()).requestId(admin.requestId())
                    .details(Map.of("purpose", purpose, "reason", "target is an admin")).build());
            throw new AccessDenied("an admin cannot view as another admin");
        }
        audit.appendAlone(admin.orgId(), AuditRecord.of(AuditActor.of(admin), "view_as")
                .target("user", target.id()).requestId(admin.requestId())
                .details(Map.of("purpose", purpose, "as_user", target.id().toString(), "as_email", target.email()))
                .build());
        return new AccessContext(target.orgId(), Optional.of(target.id()), target.email(), target.orgRole(),
                attributes.valuesOf(target.orgId(), target.id(), target.email()), admin.actorKind(),
                admin.credentialId(), admin.requestId());
    }
}
