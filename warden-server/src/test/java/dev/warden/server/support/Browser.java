package dev.warden.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A browser for the sign-in tests: follows no redirect by itself, keeps Warden's cookies (and
 * sends them to Warden only, never to an identity provider), and keeps every Set-Cookie header it
 * saw so that tests can check the flags. Warden's public URL in the tests is
 * {@code http://localhost:8080}; a redirect there is sent to the test server instead.
 */
public final class Browser {
    public static final String PUBLIC_URL = "http://localhost:8080";
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final List<String> setCookieHeaders = new ArrayList<>();

    public Browser(int port) {
        this.port = port;
    }

    public record Page(int status, String body, java.net.http.HttpHeaders headers) {
        public Optional<String> location() {
            return headers.firstValue("Location");
        }
    }

    public Page get(String pathOrUrl) {
        return send("GET", pathOrUrl, null, Map.of());
    }

    public Page get(String pathOrUrl, Map<String, String> headers) {
        return send("GET", pathOrUrl, null, headers);
    }

    public Page postForm(String pathOrUrl, Map<String, String> form) {
        return postForm(pathOrUrl, form, Map.of());
    }

    public Page postForm(String pathOrUrl, Map<String, String> form, Map<String, String> headers) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        return send("POST", pathOrUrl, body, all);
    }

    public Page send(String method, String pathOrUrl, String body, Map<String, String> headers) {
        URI uri = resolve(pathOrUrl);
        boolean toWarden = uri.getHost().equals("127.0.0.1") && uri.getPort() == port;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (toWarden && !cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (toWarden) {
                for (String header : response.headers().allValues("Set-Cookie")) {
                    setCookieHeaders.add(header);
                    String pair = header.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    String name = pair.substring(0, eq).strip();
                    String value = pair.substring(eq + 1).strip();
                    if (value.isEmpty() || header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                        cookies.remove(name);
                    } else {
                        cookies.put(name, value);
                    }
                }
            }
            return new Page(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Follows redirects (to the IdP and back) until a page that is not a redirect, or a redirect into Warden's pages. */
    public Page follow(Page page) {
        Page current = page;
        for (int i = 0; i < 10 && current.status() / 100 == 3 && current.location().isPresent(); i++) {
            String next = current.location().get();
            if (next.startsWith("/") && !next.startsWith("//")) {
                return current; // back at a Warden path: the caller decides
            }
            current = get(next);
        }
        return current;
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    public List<String> setCookieHeaders() {
        return setCookieHeaders;
    }

    /** The last Set-Cookie header for a cookie name. */
    public Optional<String> lastSetCookie(String name) {
        for (int i = setCookieHeaders.size() - 1; i >= 0; i--) {
            if (setCookieHeaders.get(i).startsWith(name + "=")) {
                return Optional.of(setCookieHeaders.get(i));
            }
        }
        return Optional.empty();
    }

    private URI resolve(String pathOrUrl) {
        if (pathOrUrl.startsWith(PUBLIC_URL + "/")) {
            return URI.create("http://127.0.0.1:" + port + pathOrUrl.substring(PUBLIC_URL.length()));
        }
        if (pathOrUrl.startsWith("/")) {
            return URI.create("http://127.0.0.1:" + port + pathOrUrl);
        }
        return URI.create(pathOrUrl);
    }
}
