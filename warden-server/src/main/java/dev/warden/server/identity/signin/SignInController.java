package dev.warden.server.identity.signin;

import dev.warden.server.access.PublicEndpoint;
import dev.warden.server.access.RequestIds;
import dev.warden.server.identity.ApiKeyAuthentication;
import dev.warden.server.identity.session.BrowserSession;
import dev.warden.server.identity.session.BrowserSessions;
import dev.warden.server.identity.session.SessionCookies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The browser's way in and out: the sign-in page, the OIDC callback, the SAML ACS, the signed-in
 * page and sign-out. All public (the person has no session yet); each checks what it needs.
 */
@RestController
final class SignInController {
    private final SignInService signIn;
    private final BrowserSessions sessions;
    private final SessionCookies cookies;
    private final String subdomainBase;

    SignInController(SignInService signIn, BrowserSessions sessions, SessionCookies cookies, @Value("${warden.signin.subdomain-base:}") String subdomainBase) {
        this.signIn = signIn;
        this.sessions = sessions;
        this.cookies = cookies;
        this.subdomainBase = subdomainBase.toLowerCase(Locale.ROOT);
    }

    /** The sign-in page; with {@code org} (or an org subdomain, when configured) it starts the sign-in. */
    @GetMapping("/signin")
    @PublicEndpoint("the sign-in page: the person has no session yet")
    ResponseEntity<String> signInPage(@RequestParam(name = "org", required = false) String org,
                                      @RequestParam(name = "return_to", required = false) String returnTo,
                                      HttpServletRequest request, HttpServletResponse response) {
        String safeReturn = ReturnPath.sanitize(returnTo);
        Optional<String> slug = Optional.ofNullable(org).map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .or(() -> slugFromHost(request));
        if (slug.isEmpty()) {
            return SignInPages.signIn(HttpStatus.OK, null, safeReturn);
        }
        if (startedElsewhere(request)) {
            // Another site sent the browser here: it could sign the person into an org of the
            // attacker's choosing (login CSRF). The person confirms on Warden's own page instead.
            return SignInPages.confirm(slug.get(), safeReturn);
        }
        try {
            Optional<java.util.UUID> previous = cookies.read(request, SessionCookies.SESSION)
                    .flatMap(c -> sessions.find(c, BrowserSession.Realm.ORG)).map(BrowserSession::id);
            SignInService.Started started = signIn.start(slug.get(), safeReturn, requestId(request), request.getRemoteAddr(),
                    previous);
            cookies.setSignInBinding(response, started.browserBinding());
            return ResponseEntity.status(HttpStatus.SEE_OTHER).location(started.redirect())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        } catch (SignInRefused e) {
            return SignInPages.signIn(HttpStatus.valueOf(e.status()), e.publicMessage(), safeReturn);
        }
    }

    @GetMapping("/oidc/{org}/callback")
    @PublicEndpoint("the identity provider sends the browser back here; state, PKCE and the browser binding are checked")
    ResponseEntity<String> oidcCallback(@PathVariable("org") String org,
                                        @RequestParam(name = "state", required = false) String state,
                                        @RequestParam(name = "code", required = false) String code,
                                        @RequestParam(name = "error", required = false) String error,
                                        HttpServletRequest request, HttpServletResponse response) {
        Optional<String> binding = cookies.read(request, SessionCookies.SIGN_IN);
        try {
            return signedIn(request, response, signIn.completeOidc(org, state, code, error, binding, requestId(request),
                    request.getRemoteAddr()));
        } catch (SignInRefused e) {
            return SignInPages.refused(HttpStatus.valueOf(e.status()), e.publicMessage());
        }
    }

    @PostMapping(value = "/saml/{org}/acs", consumes = "application/x-www-form-urlencoded")
    @PublicEndpoint("the identity provider posts the signed response here; signature, InResponseTo and the browser binding are checked")
    ResponseEntity<String> samlAcs(@PathVariable("org") String org,
                                   @RequestParam(name = "SAMLResponse", required = false) String samlResponse,
                                   HttpServletRequest request, HttpServletResponse response) {
        Optional<String> binding = cookies.read(request, SessionCookies.SIGN_IN);
        if (samlResponse == null || samlResponse.isEmpty()) {
            return SignInPages.refused(HttpStatus.BAD_REQUEST, "The sign-in response is missing. Please start again.");
        }
        try {
            return signedIn(request, response, signIn.completeSaml(org, samlResponse, binding, requestId(request),
                    request.getRemoteAddr()));
        } catch (SignInRefused e) {
            return SignInPages.refused(HttpStatus.valueOf(e.status()), e.publicMessage());
        }
    }

    /** Where a signed-in browser lands: who is signed in, and a way out. Without a session, the sign-in page. */
    @GetMapping("/")
    @PublicEndpoint("shows the signed-in person, or sends the browser to the sign-in page")
    ResponseEntity<String> home(HttpServletRequest request) {
        Optional<SignInService.SignedInPerson> person = cookies.read(request, SessionCookies.SESSION)
                .flatMap(signIn::signedInPerson);
        if (person.isEmpty()) {
            return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/signin")).build();
        }
        return SignInPages.signedIn(person.get().displayName(), person.get().email(), person.get().orgSlug(),
                cookies.read(request, SessionCookies.CSRF).orElse(null));
    }

    /**
     * Ends the browser's session. Needs the session's CSRF token (form field or header), so that
     * another site cannot sign a person out; without a valid session it simply clears the cookies.
     */
    @PostMapping("/signout")
    @PublicEndpoint("ends the browser's own session; needs its CSRF token")
    ResponseEntity<String> signOut(@RequestParam(name = SessionCookies.CSRF_FIELD, required = false) String csrfField,
                                   HttpServletRequest request, HttpServletResponse response) {
        Optional<String> cookie = cookies.read(request, SessionCookies.SESSION);
        Optional<BrowserSession> session = cookie.flatMap(c -> sessions.find(c, BrowserSession.Realm.ORG));
        if (session.isPresent()) {
            String token = csrfField != null ? csrfField : request.getHeader(SessionCookies.CSRF_HEADER);
            if (!sessions.csrfMatches(session.get(), token)) {
                return SignInPages.refused(HttpStatus.FORBIDDEN,
                        "Sign-out needs the page's security token. Please sign out from Warden's own page.");
            }
            sessions.end(session.get(), "logout");
        }
        // Cookies are cleared only for a browser that presented one: a cross-site form (which
        // carries no Lax cookie) cannot make the browser drop a running session's cookie.
        if (cookie.isPresent()) {
            cookies.clearSession(response, SessionCookies.SESSION, SessionCookies.CSRF);
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/signin")).build();
    }

    private ResponseEntity<String> signedIn(HttpServletRequest request, HttpServletResponse response,
                                            SignInService.SignedIn signedIn) {
        // The session the browser held when it started was noted then, and SignInService has ended it.
        // The binding cookie goes only now: a refused answer (which anyone can make a browser send)
        // does not cancel the sign-in the person has in progress.
        cookies.clearSignInBinding(response);
        cookies.setSession(response, SessionCookies.SESSION, SessionCookies.CSRF, signedIn.session().cookieValue(),
                signedIn.session().csrfToken());
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(signedIn.returnTo()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /**
     * Whether another site started this navigation, by the browser's Fetch Metadata: anything but
     * {@code same-origin} or {@code none} (typed, bookmarked). Without the header (older browsers,
     * programs) the binding cookie and the IdP's own page still stand.
     */
    static boolean startedElsewhere(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        return site != null && !site.equals("same-origin") && !site.equals("none");
    }

    private Optional<String> slugFromHost(HttpServletRequest request) {
        if (subdomainBase.isEmpty()) {
            return Optional.empty();
        }
        String host = request.getServerName().toLowerCase(Locale.ROOT);
        String suffix = "." + subdomainBase;
        if (!host.endsWith(suffix)) {
            return Optional.empty();
        }
        String label = host.substring(0, host.length() - suffix.length());
        return label.contains(".") || label.isEmpty() ? Optional.empty() : Optional.of(label);
    }

    private static String requestId(HttpServletRequest request) {
        Object id = request.getAttribute(ApiKeyAuthentication.REQUEST_ID_ATTRIBUTE);
        return id == null ? RequestIds.next() : id.toString();
    }
}
