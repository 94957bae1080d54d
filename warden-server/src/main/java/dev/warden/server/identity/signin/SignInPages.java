package dev.warden.server.identity.signin;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The few HTML pages of sign-in: no script at all, every value escaped. Their policy allows
 * inline styles only, and leaves form-action open: the sign-in form's answer is a redirect to the
 * org's identity provider, which browsers check against form-action.
 */
final class SignInPages {
    static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";
    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}"
            + "input,button{font-size:1rem;padding:.4rem}.error{color:#a00}.note{color:#555;font-size:.9rem}";

    private SignInPages() {}

    static ResponseEntity<String> signIn(HttpStatus status, String message, String returnTo) {
        StringBuilder body = new StringBuilder();
        body.append("<h1>Sign in to Warden</h1>");
        if (message != null) {
            body.append("<p class=\"error\" role=\"alert\">").append(htmlEscape(message)).append("</p>");
        }
        body.append("<form method=\"get\" action=\"/signin\">")
                .append("<label for=\"org\">Your organization</label><br>")
                .append("<input id=\"org\" name=\"org\" required autocomplete=\"organization\" pattern=\"[a-z0-9][a-z0-9-]{0,62}\">")
                .append("<input type=\"hidden\" name=\"return_to\" value=\"").append(htmlEscape(returnTo)).append("\">")
                .append(" <button type=\"submit\">Continue</button></form>")
                .append("<p class=\"note\">You will sign in with your organization's identity provider. "
                        + "Warden never sees or stores your password.</p>");
        return page(status, "Sign in", body.toString());
    }

    /** Another site sent the browser to start a sign-in: the person continues here, or not. */
    static ResponseEntity<String> confirm(String org, String returnTo) {
        String body = "<h1>Sign in to Warden</h1><p>Another site sent you here to sign in to the organization <strong>"
                + htmlEscape(org) + "</strong>. Continue only if you meant to.</p>"
                + "<form method=\"get\" action=\"/signin\"><input type=\"hidden\" name=\"org\" value=\"" + htmlEscape(org)
                + "\"><input type=\"hidden\" name=\"return_to\" value=\"" + htmlEscape(returnTo)
                + "\"><button type=\"submit\">Continue to " + htmlEscape(org) + "</button></form>"
                + "<p><a href=\"/signin\">Choose another organization</a></p>";
        return page(HttpStatus.OK, "Sign in", body);
    }

    static ResponseEntity<String> signedIn(String displayName, String email, String org, String csrfToken) {
        String body = "<h1>Warden</h1><p>Signed in as <strong>" + htmlEscape(displayName) + "</strong> ("
                + htmlEscape(email) + ") in <strong>" + htmlEscape(org) + "</strong>.</p>"
                + "<p><a href=\"/api/v1/me\">/api/v1/me</a> &middot; <a href=\"/api/v1/topics\">/api/v1/topics</a></p>"
                + "<form method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"_csrf\" value=\""
                + htmlEscape(csrfToken == null ? "" : csrfToken) + "\"><button type=\"submit\">Sign out</button></form>";
        return page(HttpStatus.OK, "Warden", body);
    }

    static ResponseEntity<String> refused(HttpStatus status, String message) {
        String body = "<h1>Sign-in did not work</h1><p class=\"error\" role=\"alert\">" + htmlEscape(message) + "</p>"
                + "<p><a href=\"/signin\">Start again</a></p>";
        return page(status, "Sign-in did not work", body);
    }

    private static ResponseEntity<String> page(HttpStatus status, String title, String body) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" + htmlEscape(title)
                + "</title><style>" + STYLE + "</style></head><body>" + body + "</body></html>";
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Security-Policy", POLICY).header(HttpHeaders.CACHE_CONTROL, "no-store").body(html);
    }
}
