package dev.warden.server.support;

import dev.warden.server.identity.session.BrowserSession;
import dev.warden.server.identity.session.BrowserSessions;
import dev.warden.server.identity.session.PresentedSession;
import dev.warden.server.identity.session.SessionAuthentication;
import dev.warden.server.identity.session.SessionCookies;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private final BrowserSessions sessions;
    private final SessionCookies cookies;
    private final Operators operators;

    OperatorSessionAuthentication(BrowserSessions sessions, SessionCookies cookies, Operators operators) {
        this.sessions = sessions;
        this.cookies = cookies;
        this.operators = operators;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        return PresentedSession.of(request, cookies, BrowserSession.Realm.OPERATORS).orElse(null);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        PresentedSession presented = (PresentedSession) authentication;
        if (presented.realm() != BrowserSession.Realm.OPERATORS) {
            throw refused("another realm's session");
        }
        BrowserSession session = sessions.find(presented.cookie(), BrowserSession.Realm.OPERATORS)
                .orElseThrow(() -> refused("unknown or ended"));
        String operator = session.operatorId().orElseThrow();
        if (!operators.exists(operator)) {
            sessions.end(session, "operator_removed");
            throw refused("operator no longer configured");
        }
        if (!operators.allowedSource(presented.source())) {
            throw refused("source outside the operator networks");
        }
        if (presented.changesState() && !sessions.csrfMatches(session, presented.csrfToken())) {
            throw new SessionAuthentication.CsrfRefused();
        }
        return new OperatorAuthentication(operator, presented.source());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PresentedSession.class.isAssignableFrom(authentication);
    }

    private static BadCredentialsException refused(String why) {
        LOG.info("operator browser session refused: {}", why);
        return new BadCredentialsException("invalid operator session");
    }
}
