package dev.warden.server.web;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.NotAuthenticated;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Writes a refusal that a service decided (a role too low on a connection, view-as refused, a
 * support grant's limits) into the caller's org log, the same way EndpointGuard records the
 * refusals it decides: every denial leaves an event, wherever it was decided.
 */
@Component
final class DenialAudit {
    private final CurrentAccess access;
    private final AuditLog audit;

    DenialAudit(CurrentAccess access, AuditLog audit) {
        this.access = access;
        this.audit = audit;
    }

    void record(HttpServletRequest request, String reason) {
        AccessContext context;
        try {
            context = access.require();
        } catch (NotAuthenticated e) {
            return;
        }
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        audit.appendAlone(context.orgId(), AuditRecord.of(AuditActor.of(context), "access.denied")
                .outcome(AuditRecord.Outcome.DENIED).requestId(context.requestId())
                .details(Map.of("method", request.getMethod(), "endpoint", pattern == null ? "" : pattern.toString(),
                        "reason", reason))
                .build());
    }
}
