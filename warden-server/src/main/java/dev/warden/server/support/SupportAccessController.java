package dev.warden.server.support;

import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.Permission;
import dev.warden.server.access.Requires;
import dev.warden.server.audit.AuditEvent;
import dev.warden.server.audit.AuditRepository;
import dev.warden.server.audit.AuditTrail;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Support access from the customer's side: grant, list with state and history, see what happened, revoke. */
@RestController
@RequestMapping("/api/v1/support-access")
final class SupportAccessController {
    private final SupportAccess support;
    private final AuditTrail trail;
    private final CurrentAccess access;
    private final Clock clock;

    SupportAccessController(SupportAccess support, AuditTrail trail, CurrentAccess access, Clock clock) {
        this.support = support;
        this.trail = trail;
        this.access = access;
        this.clock = clock;
    }

    @GetMapping
    @Requires(Permission.SUPPORT_ADMIN)
    List<Map<String, Object>> list() {
        return support.list(access.require()).stream().map(this::view).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Requires(Permission.SUPPORT_ADMIN)
    Map<String, Object> grant(@RequestBody SupportAccess.NewGrant request) {
        return view(support.grant(access.require(), request));
    }

    /** The grant, its sessions, and every support event under it (newest first). */
    @GetMapping("/{id}")
    @Requires(Permission.SUPPORT_ADMIN)
    Map<String, Object> get(@PathVariable UUID id) {
        var context = access.require();
        SupportAccess.Detail detail = support.get(context, id);
        Map<String, Object> v = view(detail.grant());
        v.put("sessions", detail.sessions().stream().map(s -> Map.of("id", s.id(), "operator", s.operatorId(),
                "opened_at", s.createdAt().toString(), "source", s.source())).toList());
        List<AuditEvent> events = trail.find(context.orgId(), AuditRepository.Filter.aboutTarget(id.toString()), 1_000);
        v.put("activity", events.stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", e.seq());
            m.put("occurred_at", e.occurredAt().toString());
            m.put("actor", e.actorLabel());
            m.put("action", e.action());
            m.put("outcome", e.outcome());
            m.put("details", e.details());
            return m;
        }).toList());
        return v;
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.SUPPORT_ADMIN)
    void revoke(@PathVariable UUID id) {
        support.revoke(access.require(), id);
    }

    private Map<String, Object> view(SupportGrant g) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", g.id());
        v.put("scope", g.scope().name());
        v.put("reason", g.reason());
        v.put("operators", g.operators());
        v.put("state", g.state(clock.instant()).name());
        v.put("created_by", g.createdBy());
        v.put("created_at", g.createdAt().toString());
        v.put("expires_at", g.expiresAt().toString());
        v.put("revoked_at", g.revokedAt().map(Object::toString).orElse(null));
        return v;
    }
}
