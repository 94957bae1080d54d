package dev.warden.server.support;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.AccessDenied;
import dev.warden.server.access.ActorKind;
import dev.warden.server.access.OrgId;
import dev.warden.server.access.OrgRole;
import dev.warden.server.access.SupportGrantRef;
import dev.warden.server.access.SupportScope;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.identity.ApiKeyToken;
import dev.warden.server.problem.InvalidRequest;
import dev.warden.server.problem.ResourceNotFound;
import dev.warden.server.tenancy.Org;
import dev.warden.server.tenancy.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Vendor support access on the customer's terms. An org admin grants a scope for at most 7 days
 * with a reason, optionally to named operators, and can revoke at any moment. Operators see only
 * orgs whose active grant covers them, and enter one through a session bound to that grant. Every
 * request re-checks the grant, so expiry and revocation cut a session on its very next request.
 * Every step lands in the org's audit log under the operator's real identity, the grant and its reason.
 */
@Service
@Transactional
public class SupportAccess {
    public static final String SESSION_PREFIX = "wos_";
    private static final long MAX_HOURS = 7 * 24;

    private final SupportRepository grants;
    private final Operators operators;
    private final Tenants tenants;
    private final AuditLog audit;
    private final Clock clock;

    public SupportAccess(SupportRepository grants, Operators operators, Tenants tenants, AuditLog audit, Clock clock) {
        this.grants = grants;
        this.operators = operators;
        this.tenants = tenants;
        this.audit = audit;
        this.clock = clock;
    }

    public record NewGrant(SupportScope scope, Long durationHours, String reason, List<String> operators) {}

    /** A grant with the sessions opened under it. */
    public record Detail(SupportGrant grant, List<SupportRepository.Session> sessions) {}

    public SupportGrant grant(AccessContext admin, NewGrant request) {
        requirePersonAdmin(admin);
        if (request.scope() == null) {
            throw new InvalidRequest("scope is required: METADATA or DATA");
        }
        Long hours = request.durationHours();
        if (hours == null || hours < 1 || hours > MAX_HOURS) {
            throw new InvalidRequest("duration_hours must be a whole number from 1 to " + MAX_HOURS + " (7 days)");
        }
        String reason = request.reason() == null ? "" : request.reason().strip();
        if (reason.isEmpty() || reason.length() > 1000) {
            throw new InvalidRequest("reason is required (up to 1000 characters): it is shown in every support event");
        }
        List<String> named = new ArrayList<>(new LinkedHashSet<>(request.operators() == null ? List.of() : request.operators()));
        for (String operator : named) {
            if (operator == null || !operators.exists(operator)) {
                throw new InvalidRequest("operators: no operator with that id in this deployment");
            }
        }
        Instant now = clock.instant();
        SupportGrant grant = new SupportGrant(UUID.randomUUID(), admin.orgId(), request.scope(), reason, named,
                admin.requireUser().value(), now, now.plus(Duration.ofHours(hours)), Optional.empty(), Optional.empty());
        grants.insert(grant);
        audit.append(admin.orgId(), AuditRecord.of(AuditActor.of(admin), "support.grant")
                .target("support_grant", grant.id()).requestId(admin.requestId())
                .details(describe(grant)).build());
        return grant;
    }

    @Transactional(readOnly = true)
    public List<SupportGrant> list(AccessContext admin) {
        requirePersonAdmin(admin);
        return grants.list(admin.orgId());
    }

    @Transactional(readOnly = true)
    public Detail get(AccessContext admin, UUID id) {
        requirePersonAdmin(admin);
        SupportGrant grant = grants.find(admin.orgId(), id).orElseThrow(() -> new ResourceNotFound("support grant"));
        return new Detail(grant, grants.sessions(admin.orgId(), id));
    }

    public void revoke(AccessContext admin, UUID id) {
        requirePersonAdmin(admin);
        SupportGrant grant = grants.find(admin.orgId(), id).orElseThrow(() -> new ResourceNotFound("support grant"));
        if (grants.revoke(admin.orgId(), id, admin.requireUser().value(), clock.instant())) {
            audit.append(admin.orgId(), AuditRecord.of(AuditActor.of(admin), "support.revoke")
                    .target("support_grant", id).requestId(admin.requestId()).details(describe(grant)).build());
        }
    }

    /** An org an operator may enter now, with the grant that lets them. */
    public record Enterable(Org org, SupportGrant grant) {}

    @Transactional(readOnly = true)
    public List<Enterable> enterable(String operatorId) {
        Instant now = clock.instant();
        Map<OrgId, Enterable> byOrg = new LinkedHashMap<>();
        for (SupportGrant g : grants.active(now)) {
            if (g.covers(operatorId) && g.state(now) == SupportGrant.State.ACTIVE) {
                tenants.find(g.orgId()).ifPresent(org -> byOrg.putIfAbsent(g.orgId(), new Enterable(org, g)));
            }
        }
        return List.copyOf(byOrg.values());
    }

    /** The session token (shown once) and until when it can work at most. */
    public record OpenedSession(String token, SupportGrant grant) {}

    /**
     * Opens an org-scoped session for an operator under the org's active grant that covers them.
     * An org without such a grant answers exactly like an org that does not exist; the attempt
     * is audited in that org when it exists.
     */
    public OpenedSession open(String operatorId, String orgRef, String source, String requestId) {
        Optional<Org> org = findOrg(orgRef);
        Instant now = clock.instant();
        Optional<SupportGrant> grant = org.flatMap(o -> grants.list(o.id()).stream()
                .filter(g -> g.state(now) == SupportGrant.State.ACTIVE && g.covers(operatorId)).findFirst());
        if (grant.isEmpty()) {
            org.ifPresent(o -> audit.appendAlone(o.id(), AuditRecord.of(operatorActor(operatorId), "support.session.denied")
                    .outcome(AuditRecord.Outcome.DENIED).requestId(requestId)
                    .details(Map.of("reason", "no active support grant covers this operator", "source", source)).build()));
            throw new ResourceNotFound("org");
        }
        ApiKeyToken token = ApiKeyToken.generate(SESSION_PREFIX);
        SupportRepository.Session session = new SupportRepository.Session(UUID.randomUUID(), org.get().id(),
                grant.get().id(), operatorId, token.secretHash(), now, source);
        grants.insertSession(session, token.lookupId());
        Map<String, Object> details = describe(grant.get());
        details.put("session", session.id().toString());
        details.put("source", source);
        audit.append(org.get().id(), AuditRecord.of(operatorActor(operatorId), "support.session.open")
                .target("support_grant", grant.get().id()).requestId(requestId).details(details).build());
        return new OpenedSession(token.text(), grant.get());
    }

    /** Why a support session was refused: logged and audited, never told to the caller. */
    public enum Refusal { MALFORMED, UNKNOWN, WRONG_SECRET, GRANT_EXPIRED, GRANT_REVOKED, OPERATOR_NOT_COVERED,
        OPERATOR_REMOVED, SOURCE_NOT_ALLOWED }

    /** Checks a presented session on every request; the context it yields carries the grant. */
    public Optional<AccessContext> authenticate(String presented, String requestId, String source) {
        Optional<ApiKeyToken> token = ApiKeyToken.parse(SESSION_PREFIX, presented);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Optional<SupportRepository.Session> stored = grants.sessionByLookup(token.get().lookupId());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        SupportRepository.Session session = stored.get();
        Refusal refusal = null;
        SupportGrant grant = grants.find(session.orgId(), session.grantId()).orElseThrow();
        Instant now = clock.instant();
        if (!token.get().matches(session.secretHash())) {
            refusal = Refusal.WRONG_SECRET;
        } else if (grant.state(now) == SupportGrant.State.REVOKED) {
            refusal = Refusal.GRANT_REVOKED;
        } else if (grant.state(now) == SupportGrant.State.EXPIRED) {
            refusal = Refusal.GRANT_EXPIRED;
        } else if (!operators.exists(session.operatorId())) {
            refusal = Refusal.OPERATOR_REMOVED;
        } else if (!grant.covers(session.operatorId())) {
            refusal = Refusal.OPERATOR_NOT_COVERED;
        } else if (!operators.allowedSource(source)) {
            refusal = Refusal.SOURCE_NOT_ALLOWED;
        }
        if (refusal != null) {
            Map<String, Object> details = describe(grant);
            details.put("refusal", refusal.name());
            details.put("session", session.id().toString());
            details.put("source", source);
            audit.appendAlone(session.orgId(), AuditRecord.of(operatorActor(session.operatorId()), "support.session.refused")
                    .outcome(AuditRecord.Outcome.DENIED).target("support_grant", grant.id()).requestId(requestId)
                    .details(details).build());
            return Optional.empty();
        }
        return Optional.of(new AccessContext(session.orgId(), Optional.empty(), "operator " + session.operatorId(),
                OrgRole.MEMBER, Map.of(), ActorKind.OPERATOR, Optional.of(session.id()), requestId,
                Optional.of(new SupportGrantRef(grant.id(), grant.scope(), grant.reason(), session.operatorId()))));
    }

    /** Writes one support request into the org's log: who, under which grant and reason, what, how it ended. */
    public void record(AccessContext operator, String method, String endpoint, int status) {
        SupportGrantRef ref = operator.supportGrant().orElseThrow();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("operator", ref.operatorId());
        details.put("grant", ref.grantId().toString());
        details.put("scope", ref.scope().name());
        details.put("reason", ref.reason());
        details.put("method", method);
        details.put("endpoint", endpoint);
        details.put("status", status);
        audit.appendAlone(operator.orgId(), AuditRecord.of(AuditActor.of(operator), "support.request")
                .outcome(status < 400 ? AuditRecord.Outcome.SUCCESS : status == 401 || status == 403 || status == 404
                        ? AuditRecord.Outcome.DENIED : AuditRecord.Outcome.FAILURE)
                .target("support_grant", ref.grantId()).requestId(operator.requestId()).details(details).build());
    }

    private Optional<Org> findOrg(String ref) {
        try {
            return tenants.find(new OrgId(UUID.fromString(ref)));
        } catch (IllegalArgumentException notAnId) {
            return tenants.findBySlug(ref);
        }
    }

    private static AuditActor operatorActor(String operatorId) {
        return new AuditActor("OPERATOR", Optional.of(operatorId), "operator " + operatorId);
    }

    /** Support grants are the customer's to give: only a person who is org admin, never an operator. */
    private static void requirePersonAdmin(AccessContext context) {
        if (!context.isOrgAdmin() || (context.actorKind() != ActorKind.USER && context.actorKind() != ActorKind.API_KEY)) {
            throw new AccessDenied("support access is managed by the org's admins");
        }
    }

    static Map<String, Object> describe(SupportGrant g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("grant", g.id().toString());
        m.put("scope", g.scope().name());
        m.put("reason", g.reason());
        m.put("operators", g.operators());
        m.put("expires_at", g.expiresAt().toString());
        return m;
    }
}
