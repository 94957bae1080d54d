package dev.warden.server.identity.signin;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A person as an org's identity provider vouched for them, whichever the protocol: everything
 * provisioning needs, nothing it does not.
 *
 * @param issuer the provider (OIDC issuer, SAML IdP entity id)
 * @param subject the provider's stable id of the person (OIDC sub, SAML NameID)
 * @param email verified by the provider, lowercase
 * @param mappedAttributes the Warden attributes the org maps from the provider: every one of them
 *     is set from the provider's values at each sign-in, and removed when the provider sends none
 * @param attributes Warden attribute name to the values the provider sent
 * @param groups the group names the provider sent, when the org reads groups from it at all
 */
public record ExternalIdentity(String protocol, String issuer, String subject, String email, Optional<String> displayName,
                               Set<String> mappedAttributes, Map<String, List<String>> attributes,
                               Optional<List<String>> groups) {
    public ExternalIdentity {
        Objects.requireNonNull(protocol, "protocol is null");
        Objects.requireNonNull(issuer, "issuer is null");
        Objects.requireNonNull(subject, "subject is null");
        Objects.requireNonNull(email, "email is null");
        Objects.requireNonNull(displayName, "displayName is null");
        mappedAttributes = Set.copyOf(mappedAttributes);
        attributes = Map.copyOf(attributes);
        groups = groups.map(List::copyOf);
    }
}
