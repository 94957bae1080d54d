package dev.warden.server.identity.signin;

import java.util.regex.Pattern;

/**
 * Where a browser may be sent after sign-in: a path on this server, never anywhere else. Anything
 * that is not plainly a same-origin absolute path becomes {@code /}: no scheme, no host, no
 * {@code //} or {@code /\} (which browsers read as another host), no backslash, no control or
 * space characters, no {@code ..} segment, every {@code %} followed by two hex digits, at most
 * 512 characters, and it must parse as a URI without scheme or authority.
 */
public final class ReturnPath {
    private static final Pattern SAFE = Pattern.compile("/([A-Za-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2}){0,511}");

    private ReturnPath() {}

    public static String sanitize(String requested) {
        if (requested == null || !SAFE.matcher(requested).matches()) {
            return "/";
        }
        if (requested.startsWith("//") || requested.contains("/../") || requested.endsWith("/..")
                || requested.contains("/./") || requested.toLowerCase(java.util.Locale.ROOT).contains("%2f%2f")
                || requested.toLowerCase(java.util.Locale.ROOT).contains("%5c")) {
            return "/";
        }
        try {
            java.net.URI uri = new java.net.URI(requested);
            return uri.getScheme() == null && uri.getRawAuthority() == null ? requested : "/";
        } catch (java.net.URISyntaxException e) {
            return "/";
        }
    }
}
