package dev.warden.server.identity.saml;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who signed in, read from a SAML assertion that {@link SamlResponseValidator} accepted. Every value is
 * the whole text of its element.
 *
 * @param nameId the Subject's NameID
 * @param nameIdFormat its Format attribute, if any
 * @param email the NameID when its format is emailAddress, otherwise the single value of the attribute
 *     mapped to the Warden attribute {@code email}, if any (not checked against allowed domains here)
 * @param attributes Warden attribute name to the values of the SAML attribute mapped to it (in document
 *     order); attributes not in the org's mapping are not read
 * @param authnContextClassRef how the IdP authenticated the person
 * @param sessionIndex the AuthnStatement's SessionIndex, for single logout
 * @param sessionNotOnOrAfter the IdP's limit on the session, if it set one
 * @param assertionId the Assertion's ID (already recorded in the replay cache)
 * @param expiresAt when the assertion stops being acceptable
 */
public record SamlIdentity(
        String nameId,
        Optional<String> nameIdFormat,
        Optional<String> email,
        Map<String, List<String>> attributes,
        Optional<String> authnContextClassRef,
        Optional<String> sessionIndex,
        Optional<Instant> sessionNotOnOrAfter,
        String assertionId,
        Instant expiresAt) {
    public SamlIdentity {
        requireNonNull(nameId, "nameId is null");
        requireNonNull(nameIdFormat, "nameIdFormat is null");
        requireNonNull(email, "email is null");
        LinkedHashMap<String, List<String>> copy = new LinkedHashMap<>();
        requireNonNull(attributes, "attributes is null").forEach((k, v) -> copy.put(k, List.copyOf(v)));
        attributes = java.util.Collections.unmodifiableMap(copy);
        requireNonNull(authnContextClassRef, "authnContextClassRef is null");
        requireNonNull(sessionIndex, "sessionIndex is null");
        requireNonNull(sessionNotOnOrAfter, "sessionNotOnOrAfter is null");
        requireNonNull(assertionId, "assertionId is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }
}
