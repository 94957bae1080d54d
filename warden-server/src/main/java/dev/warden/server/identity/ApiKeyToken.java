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
 * The text form of an API key: {@code wdn_<lookup>_<secret>}. The lookup part (96 random bits,
 * hex) finds the stored key without revealing anything; the secret part (256 random bits,
 * base64url) is what proves possession. The {@code wdn_} prefix lets secret scanners spot leaked
 * keys. Every length is fixed, so a truncated key never parses.
 */
record ApiKeyToken(String lookupId, String secret) {
    static final String PREFIX = "wdn_";
    private static final int LOOKUP_BYTES = 12;
    private static final int SECRET_BYTES = 32;
    private static final Pattern FORMAT = Pattern.compile("^wdn_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$");
    private static final SecureRandom RANDOM = new SecureRandom();

    static ApiKeyToken generate() {
        byte[] lookup = new byte[LOOKUP_BYTES];
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(lookup);
        RANDOM.nextBytes(secret);
        return new ApiKeyToken(HexFormat.of().formatHex(lookup),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    static Optional<ApiKeyToken> parse(String text) {
        if (text == null || text.length() > 128) {
            return Optional.empty();
        }
        var m = FORMAT.matcher(text);
        return m.matches() ? Optional.of(new ApiKeyToken(m.group(1), m.group(2))) : Optional.empty();
    }

    String text() {
        return PREFIX + lookupId + "_" + secret;
    }

    byte[] secretHash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Constant-time: how long it takes says nothing about how much of the secret matched. */
    boolean matches(byte[] storedHash) {
        return MessageDigest.isEqual(secretHash(), storedHash);
    }

    @Override
    public String toString() {
        return "ApiKeyToken[" + PREFIX + lookupId + "_...]";
    }
}
