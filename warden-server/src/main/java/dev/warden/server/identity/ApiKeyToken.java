package dev.warden.server.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text form of Warden's bearer secrets: {@code <prefix><lookup>_<secret>}, e.g. an API key
 * {@code wdn_...} or an operator's support session {@code wos_...}. The lookup part (96 random
 * bits, hex) finds the stored record without revealing anything; the secret part (256 random
 * bits, base64url) is what proves possession, and only its SHA-256 is stored. The prefix lets
 * secret scanners spot leaked ones. Every length is fixed, so a truncated token never parses.
 */
public record ApiKeyToken(String prefix, String lookupId, String secret) {
    public static final String PREFIX = "wdn_";
    private static final int LOOKUP_BYTES = 12;
    private static final int SECRET_BYTES = 32;
    private static final Pattern FORMAT = Pattern.compile("^([a-z]{3}_)([0-9a-f]{24})_([A-Za-z0-9_-]{43})$");
    private static final SecureRandom RANDOM = new SecureRandom();

    static ApiKeyToken generate() {
        return generate(PREFIX);
    }

    public static ApiKeyToken generate(String prefix) {
        byte[] lookup = new byte[LOOKUP_BYTES];
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(lookup);
        RANDOM.nextBytes(secret);
        return new ApiKeyToken(prefix, HexFormat.of().formatHex(lookup),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    static Optional<ApiKeyToken> parse(String text) {
        return parse(PREFIX, text);
    }

    /** The token, if the text is one with exactly this prefix. */
    public static Optional<ApiKeyToken> parse(String prefix, String text) {
        if (text == null || text.length() > 128) {
            return Optional.empty();
        }
        var m = FORMAT.matcher(text);
        return m.matches() && m.group(1).equals(prefix) ? Optional.of(new ApiKeyToken(prefix, m.group(2), m.group(3)))
                : Optional.empty();
    }

    public String text() {
        return prefix + lookupId + "_" + secret;
    }

    public byte[] secretHash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Constant-time: how long it takes says nothing about how much of the secret matched. */
    public boolean matches(byte[] storedHash) {
        return MessageDigest.isEqual(secretHash(), storedHash);
    }

    @Override
    public String toString() {
        return "ApiKeyToken[" + prefix + lookupId + "_...]";
    }
}
