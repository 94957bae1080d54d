package dev.warden.server.web;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.AccessDecision;
import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.PermissionMatrix;
import dev.warden.server.access.PublicEndpoint;
import dev.warden.server.access.Requires;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Checks every handler against the permission matrix before it runs. A handler that declares
 * neither {@link Requires} nor {@link PublicEndpoint} is refused to everyone (deny by default),
 * and a test fails the build for it. Every refusal is an audit event in the caller's org.
 */
@Component
final class EndpointGuard implements HandlerInterceptor {
    private final CurrentAccess access;
    private final AuditLog audit;
    private final ProblemResponses problems;

    EndpointGuard(CurrentAccess access, AuditLog audit, ProblemResponses problems) {
        this.access = access;
        this.audit = audit;
        this.problems = problems;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (!(handler instanceof HandlerMethod method)) {
            return true; // static resources and the like: the filter chain already decided
        }
        if (method.hasMethodAnnotation(PublicEndpoint.class)
                || method.hasMethodAnnotation(dev.warden.server.access.OperatorEndpoint.class)) {
            return true; // the filter chain decided: public, or an authenticated operator
        }
        Requires requires = method.getMethodAnnotation(Requires.class);
        if (requires == null) {
            if (method.getBeanType().getPackageName().startsWith("dev.warden")) {
                problems.write(request, response, Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                        "You may not do this."));
                return false;
            }
            return true; // framework endpoints (OpenAPI, error) are governed by the filter chain alone
        }
        AccessContext context = access.require();
        request.setAttribute(RequestLog.CONTEXT_ATTRIBUTE, context);
        AccessDecision decision = PermissionMatrix.decide(context, requires.value());
        boolean reads = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        if (decision.granted() && context.actorKind() == dev.warden.server.access.ActorKind.OPERATOR && !reads
                && requires.value() != dev.warden.server.access.Permission.QUERY) {
            // Support access looks, it never changes anything: no writes, so no way to extend itself.
            decision = new AccessDecision(false, "support access is read-only");
        }
        if (decision.granted()) {
            return true;
        }
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        audit.appendAlone(context.orgId(), AuditRecord.of(AuditActor.of(context), "access.denied")
                .outcome(AuditRecord.Outcome.DENIED).requestId(context.requestId())
                .details(Map.of("permission", requires.value().name(), "method", request.getMethod(),
                        "endpoint", pattern == null ? "" : pattern.toString(), "reason", decision.reason()))
                .build());
        problems.write(request, response, Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                decision.reason()));
        return false;
    }
}
