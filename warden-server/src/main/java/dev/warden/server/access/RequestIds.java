package dev.warden.server.access;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Request ids: random, short, safe to log. Never taken from the client. */
public final class RequestIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {}

    public static String next() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
