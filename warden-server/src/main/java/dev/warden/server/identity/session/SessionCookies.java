package dev.warden.server.identity.session;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * The browser's cookies and their flags, in one place.
 *
 * <p>Whether TLS is on is decided by {@code warden.public-url}: behind a TLS proxy the request
 * itself is plain HTTP, but the browser speaks https. Under TLS every cookie is {@code Secure}
 * and carries the {@code __Host-} prefix (the browser then refuses it without Secure, with a
 * Domain, or with another Path, so a sibling subdomain cannot plant or shadow it).
 *
 * <ul>
 *   <li>session ({@code warden_session}): HttpOnly, SameSite=Lax, Path=/, no Max-Age (ends with the browser);
 *   <li>CSRF token ({@code warden_csrf}): readable by the page's own script (not HttpOnly), SameSite=Strict;
 *   <li>operator session ({@code warden_operator}) and its CSRF token ({@code warden_operator_csrf}): the same, for the operators' realm;
 *   <li>sign-in binding ({@code warden_signin}): HttpOnly, 10 minutes, ties a sign-in in progress to
 *       the browser that started it (against login CSRF). SameSite=None under TLS, because a SAML
 *       response comes back as a cross-site POST; SameSite=Lax without TLS (loopback only).
 * </ul>
 */
@Component
public final class SessionCookies {
    public static final String SESSION = "warden_session";
    public static final String CSRF = "warden_csrf";
    public static final String OPERATOR_SESSION = "warden_operator";
    public static final String OPERATOR_CSRF = "warden_operator_csrf";
    public static final String SIGN_IN = "warden_signin";
    /** The header a script sends the CSRF token in; forms send the field {@link #CSRF_FIELD}. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "_csrf";
    private static final Duration SIGN_IN_LIFETIME = Duration.ofMinutes(10);

    private final boolean secure;

    public SessionCookies(@Value("${warden.public-url:http://localhost:8080}") String publicUrl) {
        this.secure = "https".equalsIgnoreCase(java.net.URI.create(publicUrl.strip()).getScheme());
    }

    public boolean secure() {
        return secure;
    }

    /** The cookie's name as the browser holds it: with the {@code __Host-} prefix under TLS. */
    public String name(String base) {
        return secure ? "__Host-" + base : base;
    }

    public Optional<String> read(HttpServletRequest request, String base) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        String name = name(base);
        String found = null;
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) {
                if (found != null) {
                    return Optional.empty(); // two cookies of one name: someone planted one; trust neither
                }
                found = c.getValue();
            }
        }
        return Optional.ofNullable(found);
    }

    public void setSession(HttpServletResponse response, String sessionBase, String csrfBase, String value, String csrf) {
        add(response, ResponseCookie.from(name(sessionBase), value).httpOnly(true).secure(secure).sameSite("Lax").path("/"));
        add(response, ResponseCookie.from(name(csrfBase), csrf).httpOnly(false).secure(secure).sameSite("Strict").path("/"));
    }

    public void clearSession(HttpServletResponse response, String sessionBase, String csrfBase) {
        add(response, ResponseCookie.from(name(sessionBase), "").httpOnly(true).secure(secure).sameSite("Lax").path("/")
                .maxAge(0));
        add(response, ResponseCookie.from(name(csrfBase), "").httpOnly(false).secure(secure).sameSite("Strict").path("/")
                .maxAge(0));
    }

    public void setSignInBinding(HttpServletResponse response, String value) {
        add(response, ResponseCookie.from(name(SIGN_IN), value).httpOnly(true).secure(secure)
                .sameSite(secure ? "None" : "Lax").path("/").maxAge(SIGN_IN_LIFETIME));
    }

    public void clearSignInBinding(HttpServletResponse response) {
        add(response, ResponseCookie.from(name(SIGN_IN), "").httpOnly(true).secure(secure)
                .sameSite(secure ? "None" : "Lax").path("/").maxAge(0));
    }

    private static void add(HttpServletResponse response, ResponseCookie.ResponseCookieBuilder cookie) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.build().toString());
    }
}
