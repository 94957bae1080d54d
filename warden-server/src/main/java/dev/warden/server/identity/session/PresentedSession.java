package dev.warden.server.identity.session;

import dev.warden.server.access.RequestIds;
import dev.warden.server.identity.ApiKeyAuthentication;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A browser session cookie as presented with a request, not yet checked: which realm's cookie,
 * whether the request changes state (and so needs the CSRF token), the token it carried, and
 * where it came from. {@code toString} never shows the cookie.
 */
public final class PresentedSession extends AbstractAuthenticationToken {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final BrowserSession.Realm realm;
    private final String cookie;
    private final boolean changesState;
    private final String csrfToken;
    private final String requestId;
    private final String source;

    private PresentedSession(BrowserSession.Realm realm, String cookie, HttpServletRequest request) {
        super(List.of());
        this.realm = realm;
        this.cookie = cookie;
        this.changesState = !SAFE_METHODS.contains(request.getMethod());
        this.csrfToken = request.getHeader(SessionCookies.CSRF_HEADER);
        Object id = request.getAttribute(ApiKeyAuthentication.REQUEST_ID_ATTRIBUTE);
        this.requestId = id == null ? RequestIds.next() : id.toString();
        this.source = request.getRemoteAddr();
        setAuthenticated(false);
    }

    /**
     * The realm's session cookie of this request, if it has one and no {@code Authorization}
     * header: a bearer credential always decides alone.
     */
    public static Optional<PresentedSession> of(HttpServletRequest request, SessionCookies cookies,
                                                BrowserSession.Realm realm) {
        if (request.getHeader("Authorization") != null) {
            return Optional.empty();
        }
        String name = realm == BrowserSession.Realm.ORG ? SessionCookies.SESSION : SessionCookies.OPERATOR_SESSION;
        return cookies.read(request, name).map(c -> new PresentedSession(realm, c, request));
    }

    public BrowserSession.Realm realm() {
        return realm;
    }

    public String cookie() {
        return cookie;
    }

    /** A state-changing request must carry the session's CSRF token. */
    public boolean changesState() {
        return changesState;
    }

    public String csrfToken() {
        return csrfToken;
    }

    public String requestId() {
        return requestId;
    }

    public String source() {
        return source;
    }

    @Override
    public Object getCredentials() {
        return cookie;
    }

    @Override
    public Object getPrincipal() {
        return realm + " browser session";
    }

    @Override
    public String toString() {
        return "PresentedSession[" + realm + "]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
