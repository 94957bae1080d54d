package dev.warden.server.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * The deployment's operators (the vendor's support staff). They belong to no org. Until the
 * operators' own IdP realm lands, each authenticates with an operator key configured for the
 * deployment as {@code id=sha256-hex-of-secret} in {@code WARDEN_OPERATORS} (comma-separated):
 * the configuration holds hashes only ({@code ./warden operator-key ID} makes a key and its line).
 * {@code WARDEN_OPERATOR_NETWORKS} (CIDR list) restricts where operators may come from.
 */
@Component
public final class Operators {
    private static final Pattern ID = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");
    private static final Pattern HASH = Pattern.compile("^[0-9a-f]{64}$");

    private final Map<String, byte[]> keyHashes;
    private final List<IpAddressMatcher> networks;

    Operators(@Value("${warden.support.operators:}") String operators,
              @Value("${warden.support.operator-networks:}") String networks) {
        Map<String, byte[]> hashes = new LinkedHashMap<>();
        for (String entry : operators.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            String id = eq < 0 ? "" : e.substring(0, eq).strip();
            String hash = eq < 0 ? "" : e.substring(eq + 1).strip().toLowerCase(java.util.Locale.ROOT);
            if (!ID.matcher(id).matches() || !HASH.matcher(hash).matches()) {
                throw new IllegalStateException("WARDEN_OPERATORS: each entry must be id=<64 hex chars of the key's SHA-256>");
            }
            hashes.put(id, HexFormat.of().parseHex(hash));
        }
        this.keyHashes = Map.copyOf(hashes);
        this.networks = java.util.Arrays.stream(networks.split(",")).map(String::strip).filter(n -> !n.isEmpty())
                .map(IpAddressMatcher::new).toList();
    }

    public boolean exists(String operatorId) {
        return keyHashes.containsKey(operatorId);
    }

    /** The operator whose configured hash matches; every entry is compared, each in constant time. */
    Optional<String> byKeyHash(byte[] presentedSecretHash) {
        String found = null;
        for (Map.Entry<String, byte[]> e : keyHashes.entrySet()) {
            if (MessageDigest.isEqual(e.getValue(), presentedSecretHash) && found == null) {
                found = e.getKey();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether an operator may come from this address (any, when no networks are configured). */
    public boolean allowedSource(String remoteAddress) {
        if (networks.isEmpty()) {
            return true;
        }
        try {
            InetAddress.getByName(remoteAddress); // a literal address; never a name lookup
        } catch (UnknownHostException e) {
            return false;
        }
        return networks.stream().anyMatch(n -> n.matches(remoteAddress));
    }
}
