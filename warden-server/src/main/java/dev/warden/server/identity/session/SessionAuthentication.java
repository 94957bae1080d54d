package dev.warden.server.identity.session;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.ActorKind;
import dev.warden.server.access.RequestIds;
import dev.warden.server.access.WardenAuthentication;
import dev.warden.server.attributes.UserAttributes;
import dev.warden.server.identity.ApiKeyAuthentication;
import dev.warden.server.identity.session.BrowserSession.Realm;
import dev.warden.server.tenancy.AccessGenerations;
import dev.warden.server.tenancy.User;
import dev.warden.server.tenancy.UserRepository;
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
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

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

    /** A presented session cookie, not yet checked; {@code toString} never shows it. */
    static final class Presented extends AbstractAuthenticationToken {
        private final String cookie;
        private final boolean changesState;
        private final String csrfToken;
        private final String requestId;

        Presented(String cookie, boolean changesState, String csrfToken, String requestId) {
            super(List.of());
            this.cookie = cookie;
            this.changesState = changesState;
            this.csrfToken = csrfToken;
            this.requestId = requestId;
            setAuthenticated(false);
        }

        @Override
        public Object getCredentials() {
            return cookie;
        }

        @Override
        public Object getPrincipal() {
            return "browser session";
        }

        @Override
        public String toString() {
            return "Presented[browser session]";
        }
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (request.getHeader("Authorization") != null) {
            return null;
        }
        Optional<String> cookie = cookies.read(request, SessionCookies.SESSION);
        if (cookie.isEmpty()) {
            return null;
        }
        Object requestId = request.getAttribute(ApiKeyAuthentication.REQUEST_ID_ATTRIBUTE);
        return new Presented(cookie.get(), !SAFE_METHODS.contains(request.getMethod()),
                request.getHeader(SessionCookies.CSRF_HEADER), requestId == null ? RequestIds.next() : requestId.toString());
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Presented presented = (Presented) authentication;
        BrowserSession session = sessions.find(presented.cookie, Realm.ORG).orElseThrow(() -> refused("unknown or ended"));
        User user = users.find(session.orgId().orElseThrow(), session.userId().orElseThrow())
                .orElseThrow(() -> refused("person deleted"));
        if (user.disabled()) {
            sessions.end(session, "user_disabled");
            throw refused("person disabled");
        }
        if (presented.changesState && !sessions.csrfMatches(session, presented.csrfToken)) {
            LOG.info("browser session request refused: missing or wrong CSRF token (session {})", session.id());
            throw new CsrfRefused();
        }
        long generation = generations.current(user.orgId());
        AccessContext context = new AccessContext(user.orgId(), Optional.of(user.id()), user.email(), user.orgRole(),
                attributes.valuesOf(user.orgId(), generation, user.id(), user.email()), ActorKind.USER,
                Optional.of(session.id()), presented.requestId);
        return new WardenAuthentication(context);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return Presented.class.isAssignableFrom(authentication);
    }

    private static BadCredentialsException refused(String why) {
        LOG.info("browser session refused: {}", why);
        return new BadCredentialsException("invalid session");
    }
}
