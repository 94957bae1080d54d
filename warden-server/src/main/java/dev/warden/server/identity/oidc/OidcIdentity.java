package dev.warden.server.identity.oidc;

import dev.warden.server.access.OrgId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A person the org's identity provider vouched for, after every check of {@link OidcSignIn}.
 * The stable key of the person at the provider is ({@link #issuer}, {@link #subject}); the
 * email is verified and inside the org's allowed domains, but link accounts by issuer and
 * subject, not by email alone.
 *
 * @param attributes Warden attribute name to the values of the mapped claim (strings; numbers
 *     and booleans as text; arrays element by element; objects ignored)
 * @param groups the values of the org's groups claim, if configured
 */
public record OidcIdentity(OrgId org, String issuer, String subject, String email, boolean emailVerified,
                           Optional<String> name, Map<String, List<String>> attributes, List<String> groups,
                           Optional<String> acr, List<String> amr, Optional<Instant> authTime) {
    public OidcIdentity {
        Objects.requireNonNull(org, "org is null");
        Objects.requireNonNull(issuer, "issuer is null");
        Objects.requireNonNull(subject, "subject is null");
        Objects.requireNonNull(email, "email is null");
        Objects.requireNonNull(name, "name is null");
        attributes = Map.copyOf(attributes);
        groups = List.copyOf(groups);
        Objects.requireNonNull(acr, "acr is null");
        amr = List.copyOf(amr);
        Objects.requireNonNull(authTime, "authTime is null");
    }
}
