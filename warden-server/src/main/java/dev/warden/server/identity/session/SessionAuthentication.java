package dev.warden.server.identity.session;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.ActorKind;
import dev.warden.server.access.WardenAuthentication;
import dev.warden.server.attributes.UserAttributes;
import dev.warden.server.identity.session.BrowserSession.Realm;
import dev.warden.server.tenancy.AccessGenerations;
import dev.warden.server.tenancy.User;
import dev.warden.server.tenancy.UserRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.stereotype.Component;

/**
 * A person's browser session in Spring Security's terms, for the org API. The cookie counts only
 * when the request carries no {@code Authorization} header: a program's bearer credential always
 * decides alone. Every state-changing request authenticated by the cookie must carry the
 * session's CSRF token in {@value SessionCookies#CSRF_HEADER}; without it the request is refused
 * with 403 before anything runs. A disabled person's session ends at their next request.
 */
@Component
public final class SessionAuthentication implements AuthenticationProvider, AuthenticationConverter {
    private static final Logger LOG = LoggerFactory.getLogger(SessionAuthentication.class);

    private final BrowserSessions sessions;
    private final SessionCookies cookies;
    private final UserRepository users;
    private final UserAttributes attributes;
    private final AccessGenerations generations;

    SessionAuthentication(BrowserSessions sessions, SessionCookies cookies, UserRepository users,
                          UserAttributes attributes, AccessGenerations generations) {
        this.sessions = sessions;
        this.cookies = cookies;
        this.users = users;
        this.attributes = attributes;
        this.generations = generations;
    }

    /** Refused for want of the CSRF token: a 403, not a 401, since the session itself is good. */
    public static final class CsrfRefused extends AuthenticationException {
        public CsrfRefused() {
            super("missing or wrong CSRF token");
        }
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        return PresentedSession.of(request, cookies, Realm.ORG).orElse(null);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        PresentedSession presented = (PresentedSession) authentication;
        if (presented.realm() != Realm.ORG) {
            throw refused("another realm's session");
        }
        BrowserSession session = sessions.find(presented.cookie(), Realm.ORG).orElseThrow(() -> refused("unknown or ended"));
        User user = users.find(session.orgId().orElseThrow(), session.userId().orElseThrow())
                .orElseThrow(() -> refused("person deleted"));
        if (user.disabled()) {
            sessions.end(session, "user_disabled");
            throw refused("person disabled");
        }
        if (presented.changesState() && !sessions.csrfMatches(session, presented.csrfToken())) {
            LOG.info("browser session request refused: missing or wrong CSRF token (session {})", session.id());
            throw new CsrfRefused();
        }
        long generation = generations.current(user.orgId());
        AccessContext context = new AccessContext(user.orgId(), Optional.of(user.id()), user.email(), user.orgRole(),
                attributes.valuesOf(user.orgId(), generation, user.id(), user.email()), ActorKind.USER,
                Optional.of(session.id()), presented.requestId());
        return new WardenAuthentication(context);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PresentedSession.class.isAssignableFrom(authentication);
    }

    private static BadCredentialsException refused(String why) {
        LOG.info("browser session refused: {}", why);
        return new BadCredentialsException("invalid session");
    }
}
