package dev.warden.server.support;

import dev.warden.server.access.OperatorEndpoint;
import dev.warden.server.access.RequestIds;
import dev.warden.server.identity.ApiKeyAuthentication;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The operators' own API: which orgs granted them access now, and entering one. */
@RestController
@RequestMapping("/operator/api/v1")
final class OperatorController {
    private final SupportAccess support;

    OperatorController(SupportAccess support) {
        this.support = support;
    }

    @GetMapping("/orgs")
    @OperatorEndpoint
    List<Map<String, Object>> orgs(OperatorAuthentication operator) {
        return support.enterable(operator.operatorId()).stream().map(e -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", e.org().id().value());
            v.put("slug", e.org().slug());
            v.put("name", e.org().name());
            v.put("grant_id", e.grant().id());
            v.put("scope", e.grant().scope().name());
            v.put("reason", e.grant().reason());
            v.put("expires_at", e.grant().expiresAt().toString());
            return v;
        }).toList();
    }

    /** An org-scoped token for the ordinary /api/v1 endpoints, valid until the grant ends (or is revoked). */
    @PostMapping("/orgs/{org}/sessions")
    @ResponseStatus(HttpStatus.CREATED)
    @OperatorEndpoint
    Map<String, Object> open(OperatorAuthentication operator, @PathVariable String org, HttpServletRequest request) {
        Object requestId = request.getAttribute(ApiKeyAuthentication.REQUEST_ID_ATTRIBUTE);
        SupportAccess.OpenedSession session = support.open(operator.operatorId(), org, operator.source(),
                requestId == null ? RequestIds.next() : requestId.toString());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("token", session.token());
        v.put("grant_id", session.grant().id());
        v.put("scope", session.grant().scope().name());
        v.put("expires_at", session.grant().expiresAt().toString());
        return v;
    }
}
