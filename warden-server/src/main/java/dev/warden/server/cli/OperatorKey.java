package dev.warden.server.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * {@code ./warden operator-key ID}: a new operator key (256 random bits), shown once, and the
 * line to add to {@code WARDEN_OPERATORS}, which holds only its SHA-256. Needs no database.
 */
public final class OperatorKey {
    private static final Pattern ID = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");

    private OperatorKey() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !ID.matcher(args[1]).matches()) {
            err.println("usage: ./warden operator-key ID    (ID: lowercase letters, digits, . _ -)");
            return 2;
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
            out.println("Operator key for " + args[1] + " (shown once; give it to the operator):");
            out.println("wop_" + text);
            out.println("Add to the deployment's WARDEN_OPERATORS (comma-separated):");
            out.println(args[1] + "=" + hash);
            return 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
