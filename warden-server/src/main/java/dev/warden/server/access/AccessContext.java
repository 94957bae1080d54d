package dev.warden.server.access;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who is asking, for which org, with what rights: the only source of "who and which org" for
 * everything after authentication. Built once per request from a successful authentication and
 * never changed. Nothing downstream reads an org id from the URL, body or headers.
 *
 * @param orgId         the org whose data this request may touch, and no other
 * @param userId        the person the request acts as; empty for actors that are not a person
 * @param actorLabel    how the actor is named in audit events (an email, an operator's name)
 * @param orgRole       the person's org role (for non-person actors, the role their grant implies)
 * @param attributes    the person's user attributes, name to values (issue 6 fills these)
 * @param actorKind     how the caller authenticated
 * @param credentialId  the API key (or session, token) that authenticated this request, if any
 * @param requestId     the id of this request, in logs, responses and audit events
 * @param supportGrant  for an operator, the support grant the request runs under
 */
public record AccessContext(
        OrgId orgId,
        Optional<UserId> userId,
        String actorLabel,
        OrgRole orgRole,
        Map<String, List<String>> attributes,
        ActorKind actorKind,
        Optional<UUID> credentialId,
        String requestId,
        Optional<SupportGrantRef> supportGrant) {

    public AccessContext {
        Objects.requireNonNull(orgId, "orgId is null");
        Objects.requireNonNull(userId, "userId is null");
        Objects.requireNonNull(actorLabel, "actorLabel is null");
        Objects.requireNonNull(orgRole, "orgRole is null");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(actorKind, "actorKind is null");
        Objects.requireNonNull(credentialId, "credentialId is null");
        Objects.requireNonNull(requestId, "requestId is null");
        Objects.requireNonNull(supportGrant, "supportGrant is null");
        if (supportGrant.isPresent() != (actorKind == ActorKind.OPERATOR)) {
            throw new IllegalArgumentException("an operator always acts under a support grant, and only an operator does");
        }
    }

    /** A context of a person or program of the org (no support grant). */
    public AccessContext(OrgId orgId, Optional<UserId> userId, String actorLabel, OrgRole orgRole,
                         Map<String, List<String>> attributes, ActorKind actorKind, Optional<UUID> credentialId,
                         String requestId) {
        this(orgId, userId, actorLabel, orgRole, attributes, actorKind, credentialId, requestId, Optional.empty());
    }

    /** The acting person; fails closed for actors that are not a person. */
    public UserId requireUser() {
        return userId.orElseThrow(() -> new AccessDenied("this action needs a person, not a " + actorKind));
    }

    public boolean isOrgAdmin() {
        return orgRole == OrgRole.ORG_ADMIN;
    }
}
