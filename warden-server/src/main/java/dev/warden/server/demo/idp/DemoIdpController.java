package dev.warden.server.demo.idp;

import dev.warden.server.access.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * HTTP for the {@link DemoIdentityProvider}, under {@code /demo-idp/{slug}}. Every handler first
 * makes sure the caller is on this machine: the remote address must be loopback, and the Host
 * the browser used must be a loopback name or the public URL's host (a web page that rebinds
 * its own name to 127.0.0.1 gets nothing). Anything else, like an org the provider does not
 * serve, is a 404: from elsewhere the provider does not exist.
 */
@RestController
@DemoIdpRuns
@RequestMapping("/demo-idp/{slug}")
final class DemoIdpController {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");

    private final DemoIdentityProvider idp;
    private final String publicHost;

    DemoIdpController(DemoIdentityProvider idp, @Value("${warden.public-url:http://localhost:8080}") String publicUrl) {
        this.idp = idp;
        String host = URI.create(publicUrl).getHost();
        this.publicHost = host == null ? "localhost" : host.toLowerCase(Locale.ROOT);
    }

    @GetMapping("/.well-known/openid-configuration")
    @PublicEndpoint("discovery of the demo-only identity provider: public metadata, loopback callers only")
    ResponseEntity<String> discovery(@PathVariable String slug, HttpServletRequest request) {
        requireLocal(slug, request);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(idp.discovery(slug));
    }

    @GetMapping("/jwks")
    @PublicEndpoint("the demo-only identity provider's public signing key, loopback callers only")
    ResponseEntity<String> jwks(@PathVariable String slug, HttpServletRequest request) {
        requireLocal(slug, request);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(idp.jwks());
    }

    @GetMapping("/authorize")
    @PublicEndpoint("the demo-only identity provider's sign-in page: whoever is on this machine picks a demo person")
    ResponseEntity<String> signInPage(@PathVariable String slug, @RequestParam MultiValueMap<String, String> params,
                                      HttpServletRequest request) {
        requireLocal(slug, request);
        try {
            DemoIdentityProvider.AuthorizationRequest checked = idp.checkAuthorization(slug, params);
            return html(HttpStatus.OK, SignInPage.choosePerson(slug, idp.authorizationEndpoint(slug), checked.parameters(),
                    idp.people(slug)));
        } catch (DemoIdentityProvider.Refused e) {
            return html(HttpStatus.BAD_REQUEST, SignInPage.refusal(e.getMessage()));
        }
    }

    @PostMapping("/authorize")
    @PublicEndpoint("the demo-only identity provider signs in the demo person picked on its page; loopback callers only")
    ResponseEntity<String> approve(@PathVariable String slug, @RequestParam MultiValueMap<String, String> params,
                                   HttpServletRequest request) {
        requireLocal(slug, request);
        if (request.getQueryString() != null) {
            return html(HttpStatus.BAD_REQUEST, SignInPage.refusal("the sign-in form sends its fields in the body only"));
        }
        try {
            URI redirect = idp.approve(slug, params);
            return ResponseEntity.status(HttpStatus.SEE_OTHER).location(redirect)
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        } catch (DemoIdentityProvider.Refused e) {
            return html(HttpStatus.BAD_REQUEST, SignInPage.refusal(e.getMessage()));
        }
    }

    @PostMapping("/token")
    @PublicEndpoint("the demo-only identity provider's token endpoint: the client authenticates with its secret here")
    ResponseEntity<String> token(@PathVariable String slug,
                                 @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                 @RequestParam MultiValueMap<String, String> params, HttpServletRequest request) {
        requireLocal(slug, request);
        DemoIdentityProvider.TokenReply reply = idp.token(slug, authorization, params, request.getQueryString() != null);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(reply.status()).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header(HttpHeaders.PRAGMA, "no-cache");
        if (reply.status() == HttpStatus.UNAUTHORIZED.value()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"warden-demo-idp\"");
        }
        return response.body(reply.json());
    }

    private void requireLocal(String slug, HttpServletRequest request) {
        String host = request.getServerName() == null ? "" : request.getServerName().toLowerCase(Locale.ROOT);
        // Behind a reverse proxy on the same host every request comes from loopback: a public URL
        // that is not loopback, or any proxy header, means the caller may be anyone.
        boolean proxied = request.getHeader("Forwarded") != null || request.getHeader("X-Forwarded-For") != null
                || request.getHeader("X-Forwarded-Host") != null || request.getHeader("X-Real-IP") != null
                || request.getHeader("Via") != null;
        if (!LOOPBACK_NAMES.contains(publicHost) || proxied || !isLoopback(request.getRemoteAddr())
                || !LOOPBACK_NAMES.contains(host) || !idp.serves(slug)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
    }

    /** Only IP literals are parsed (never a name, which would mean a DNS lookup); anything else is not loopback. */
    static boolean isLoopback(String address) {
        if (address == null || !(IPV4.matcher(address).matches() || address.indexOf(':') >= 0)) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    private static ResponseEntity<String> html(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(HTML)
                .header("Content-Security-Policy", SignInPage.CONTENT_SECURITY_POLICY)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(body);
    }
}
