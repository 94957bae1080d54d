package dev.warden.server.identity.signin;

import dev.warden.server.access.PublicEndpoint;
import dev.warden.server.identity.session.BrowserSession;
import dev.warden.server.identity.session.BrowserSessions;
import dev.warden.server.identity.session.SessionCookies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operators' realm in the browser: sign in through the deployment's operator IdP, sign out. */
@RestController
final class OperatorSignInController {
    private final OperatorSignIn signIn;
    private final BrowserSessions sessions;
    private final SessionCookies cookies;

    OperatorSignInController(OperatorSignIn signIn, BrowserSessions sessions, SessionCookies cookies) {
        this.signIn = signIn;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    @GetMapping("/operator/signin")
    @PublicEndpoint("operators start signing in through the deployment's operator IdP here")
    ResponseEntity<String> start(HttpServletRequest request, HttpServletResponse response) {
        try {
            SignInService.Started started = signIn.start(request.getRemoteAddr());
            cookies.setSignInBinding(response, started.browserBinding());
            return ResponseEntity.status(HttpStatus.SEE_OTHER).location(started.redirect())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        } catch (SignInRefused e) {
            return SignInPages.refused(HttpStatus.valueOf(e.status()), e.publicMessage());
        }
    }

    @GetMapping("/operator/oidc/callback")
    @PublicEndpoint("the operators' IdP sends the browser back here; state, PKCE, the browser binding and the operator list are checked")
    ResponseEntity<String> callback(@RequestParam(name = "state", required = false) String state,
                                    @RequestParam(name = "code", required = false) String code,
                                    @RequestParam(name = "error", required = false) String error,
                                    HttpServletRequest request, HttpServletResponse response) {
        Optional<String> binding = cookies.read(request, SessionCookies.SIGN_IN);
        try {
            BrowserSessions.Issued issued = signIn.complete(state, code, error, binding, request.getRemoteAddr());
            cookies.read(request, SessionCookies.OPERATOR_SESSION)
                    .flatMap(c -> sessions.find(c, BrowserSession.Realm.OPERATORS))
                    .ifPresent(old -> sessions.end(old, "replaced"));
            cookies.clearSignInBinding(response); // only now: a refused answer does not cancel a sign-in in progress
            cookies.setSession(response, SessionCookies.OPERATOR_SESSION, SessionCookies.OPERATOR_CSRF,
                    issued.cookieValue(), issued.csrfToken());
            return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/operator/api/v1/orgs"))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        } catch (SignInRefused e) {
            return SignInPages.refused(HttpStatus.valueOf(e.status()), e.publicMessage());
        }
    }

    @PostMapping("/operator/signout")
    @PublicEndpoint("ends the operator's own browser session; needs its CSRF token")
    ResponseEntity<String> signOut(@RequestParam(name = SessionCookies.CSRF_FIELD, required = false) String csrfField,
                                   HttpServletRequest request, HttpServletResponse response) {
        Optional<String> cookie = cookies.read(request, SessionCookies.OPERATOR_SESSION);
        Optional<BrowserSession> session = cookie.flatMap(c -> sessions.find(c, BrowserSession.Realm.OPERATORS));
        if (session.isPresent()) {
            String token = csrfField != null ? csrfField : request.getHeader(SessionCookies.CSRF_HEADER);
            if (!sessions.csrfMatches(session.get(), token)) {
                return SignInPages.refused(HttpStatus.FORBIDDEN, "Sign-out needs the session's security token.");
            }
            sessions.end(session.get(), "logout");
        }
        if (cookie.isPresent()) {
            cookies.clearSession(response, SessionCookies.OPERATOR_SESSION, SessionCookies.OPERATOR_CSRF);
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/signin")).build();
    }
}
