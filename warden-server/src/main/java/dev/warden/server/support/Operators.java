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
 * The deployment's operators (the vendor's support staff). They belong to no org. An operator
 * authenticates in either of two ways, both configured for the deployment, never by an org:
 * <ul>
 *   <li>through the operators' own identity provider (the operators' realm, see
 *       {@code identity.signin.OperatorSignIn}): {@code WARDEN_OPERATOR_EMAILS} lists
 *       {@code id=email}, the verified email at that IdP that is this operator;
 *   <li>with an operator key: {@code WARDEN_OPERATORS} lists {@code id=sha256-hex-of-secret}
 *       (hashes only; {@code ./warden operator-key ID} makes a key and its line), for automation
 *       and for deployments without an operators' IdP.
 * </ul>
 * {@code WARDEN_OPERATOR_NETWORKS} (CIDR list) restricts where operators may come from, whichever way.
 */
@Component
public final class Operators {
    private static final Pattern ID = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");
    private static final Pattern HASH = Pattern.compile("^[0-9a-f]{64}$");

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");

    private final Map<String, byte[]> keyHashes;
    private final Map<String, String> idByEmail;
    private final List<IpAddressMatcher> networks;

    Operators(@Value("${warden.support.operators:}") String operators,
              @Value("${warden.support.operator-networks:}") String networks,
              @Value("${warden.support.operator-emails:}") String emails) {
        Map<String, String> byEmail = new LinkedHashMap<>();
        for (String entry : emails.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            String id = eq < 0 ? "" : e.substring(0, eq).strip();
            String email = eq < 0 ? "" : e.substring(eq + 1).strip().toLowerCase(java.util.Locale.ROOT);
            if (!ID.matcher(id).matches() || !EMAIL.matcher(email).matches() || byEmail.containsKey(email)) {
                throw new IllegalStateException("WARDEN_OPERATOR_EMAILS: each entry must be id=email, each email once");
            }
            byEmail.put(email, id);
        }
        this.idByEmail = Map.copyOf(byEmail);
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
        return keyHashes.containsKey(operatorId) || idByEmail.containsValue(operatorId);
    }

    /** The operator whose email at the operators' IdP this is (verified by that IdP), if any. */
    public Optional<String> byVerifiedEmail(String email) {
        return Optional.ofNullable(idByEmail.get(email.toLowerCase(java.util.Locale.ROOT)));
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
