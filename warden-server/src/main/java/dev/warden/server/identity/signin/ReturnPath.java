package dev.warden.server.identity.signin;

import java.util.regex.Pattern;

/**
 * Where a browser may be sent after sign-in: a path on this server, never anywhere else. Anything
 * that is not plainly a same-origin absolute path becomes {@code /}: no scheme, no host, no
 * {@code //} or {@code /\} (which browsers read as another host), no backslash, no control or
 * space characters, no {@code ..} segment, at most 512 characters.
 */
public final class ReturnPath {
    private static final Pattern SAFE = Pattern.compile("/[A-Za-z0-9\\-._~!$&'()*+,;=:@%/?]{0,511}");

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
        return requested;
    }
}
