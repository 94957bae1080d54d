package dev.warden.server.support;

import dev.warden.server.identity.session.BrowserSession;
import dev.warden.server.identity.session.BrowserSessions;
import dev.warden.server.identity.session.SessionAuthentication;
import dev.warden.server.identity.session.SessionCookies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.stereotype.Component;

/**
 * An operator's browser session from the operators' realm, for the operator API only. As with
 * operator keys: the operator must still be configured and the request must come from the
 * operator networks, on every request. State-changing requests (opening a support session) need
 * the session's CSRF token. The cookie counts only without an Authorization header.
 */
@Component
public final class OperatorSessionAuthentication implements AuthenticationProvider, AuthenticationConverter {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorSessionAuthentication.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final BrowserSessions sessions;
    private final SessionCookies cookies;
    private final Operators operators;

    OperatorSessionAuthentication(BrowserSessions sessions, SessionCookies cookies, Operators operators) {
        this.sessions = sessions;
        this.cookies = cookies;
        this.operators = operators;
    }

    static final class Presented extends AbstractAuthenticationToken {
        private final String cookie;
        private final boolean changesState;
        private final String csrfToken;
        private final String source;

        Presented(String cookie, boolean changesState, String csrfToken, String source) {
            super(List.of());
            this.cookie = cookie;
            this.changesState = changesState;
            this.csrfToken = csrfToken;
            this.source = source;
            setAuthenticated(false);
        }

        @Override
        public Object getCredentials() {
            return cookie;
        }

        @Override
        public Object getPrincipal() {
            return "operator browser session";
        }

        @Override
        public String toString() {
            return "Presented[operator browser session]";
        }
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (request.getHeader("Authorization") != null) {
            return null;
        }
        Optional<String> cookie = cookies.read(request, SessionCookies.OPERATOR_SESSION);
        return cookie.map(c -> new Presented(c, !SAFE_METHODS.contains(request.getMethod()),
                request.getHeader(SessionCookies.CSRF_HEADER), request.getRemoteAddr())).orElse(null);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Presented presented = (Presented) authentication;
        BrowserSession session = sessions.find(presented.cookie, BrowserSession.Realm.OPERATORS)
                .orElseThrow(() -> refused("unknown or ended"));
        String operator = session.operatorId().orElseThrow();
        if (!operators.exists(operator)) {
            sessions.end(session, "operator_removed");
            throw refused("operator no longer configured");
        }
        if (!operators.allowedSource(presented.source)) {
            throw refused("source outside the operator networks");
        }
        if (presented.changesState && !sessions.csrfMatches(session, presented.csrfToken)) {
            throw new SessionAuthentication.CsrfRefused();
        }
        return new OperatorAuthentication(operator, presented.source);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return Presented.class.isAssignableFrom(authentication);
    }

    private static BadCredentialsException refused(String why) {
        LOG.info("operator browser session refused: {}", why);
        return new BadCredentialsException("invalid operator session");
    }
}
