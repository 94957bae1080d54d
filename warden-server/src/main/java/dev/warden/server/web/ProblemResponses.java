package dev.warden.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes RFC 9457 problem details for the refusals that happen in the filter chain, before any
 * controller: not authenticated (401), denied (403), and a URL the firewall refuses (400; as a
 * bean, Spring Security picks it up as its {@link RequestRejectedHandler}, which would otherwise
 * answer through the framework's error page, in another format and echoing the path). Every
 * authentication failure reads the same, so a caller learns nothing about which keys exist.
 */
@Component
public final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {
    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof dev.warden.server.identity.session.SessionAuthentication.CsrfRefused) {
            write(request, response, Problems.problem(HttpStatus.FORBIDDEN, "csrf-token", "Missing or wrong CSRF token",
                    "A change made with a browser session needs the session's CSRF token in the X-CSRF-Token header."));
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"warden\"");
        write(request, response, Problems.problem(HttpStatus.UNAUTHORIZED, "unauthenticated", "Not authenticated",
                "This needs a valid API key (Authorization: Bearer wdn_...) or a signed-in session."));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(request, response, Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "You may not do this."));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        // The exception's message quotes the offending part of the URL: it is not repeated here.
        write(request, response, Problems.problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "The request URL contains characters or sequences that are not allowed."));
    }

    void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        URI instance = Problems.instanceOf(request);
        if (instance != null) {
            problem.setInstance(instance);
        }
        Problems.addRequestId(problem, request);
        response.setStatus(problem.getStatus());
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), Problems.asMap(problem));
    }
}
