package dev.warden.server.web;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.RequestIds;
import dev.warden.server.identity.ApiKeyAuthentication;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first filter of every request: gives it a request id (in the MDC, the response header
 * {@code X-Request-Id}, problem details and audit events) and writes one access-log line when it
 * ends. The line has the method, the path without its query string (which may carry values),
 * the status, the duration and, once authenticated, the org and actor kind. Never a header.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class RequestLog extends OncePerRequestFilter {
    /** Set by authentication so that this filter can name the org and actor after the chain. */
    public static final String CONTEXT_ATTRIBUTE = "warden.access_context";

    private static final Logger ACCESS = LoggerFactory.getLogger("warden.access");

    private final dev.warden.server.support.SupportAccess support;

    RequestLog(dev.warden.server.support.SupportAccess support) {
        this.support = support;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = RequestIds.next();
        long started = System.nanoTime();
        request.setAttribute(ApiKeyAuthentication.REQUEST_ID_ATTRIBUTE, requestId);
        response.setHeader("X-Request-Id", requestId);
        MDC.put("request_id", requestId);
        try {
            chain.doFilter(request, response);
        } finally {
            long micros = (System.nanoTime() - started) / 1_000;
            Object context = request.getAttribute(CONTEXT_ATTRIBUTE);
            String who = context instanceof AccessContext c ? c.actorKind() + " org=" + c.orgId() : "anonymous";
            if (context instanceof AccessContext c && c.actorKind() == dev.warden.server.access.ActorKind.OPERATOR) {
                // Every operator request, allowed, refused or unroutable, is one support event in the org's log.
                Object pattern = request.getAttribute(org.springframework.web.servlet.HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
                String endpoint = pattern == null || pattern.toString().equals("/**") ? request.getRequestURI()
                        : pattern.toString();
                support.record(c, request.getMethod(), endpoint, response.getStatus());
            }
            ACCESS.info("{} {} {} {}ms {} request_id={}", request.getMethod(), request.getRequestURI(),
                    response.getStatus(), micros / 1000.0, who, requestId);
            MDC.remove("request_id");
        }
    }
}
