package dev.warden.server.identity.saml;

import static java.util.Objects.requireNonNull;

import dev.warden.server.access.OrgId;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One org's SAML 2.0 settings: the IdP it trusts and what Warden, as service provider, calls itself.
 * Immutable; built with {@link #builder}.
 *
 * @param org the org these settings belong to (request ids are matched within it)
 * @param idpEntityId the IdP's entity id, compared with the Issuer of the response and the assertion
 * @param idpSsoUrl where AuthnRequests go (HTTP-Redirect binding)
 * @param idpCertificates the certificates whose public keys may sign responses; several during a key
 *     rollover. Only their keys are used: KeyInfo in a response is never read, and certificate validity
 *     dates are not checked (metadata certificates are key carriers, commonly self-signed and long expired)
 * @param spEntityId Warden's entity id for this org, required in the assertion's Audience
 * @param acsUrl Warden's assertion consumer service URL for this org, required as Recipient and Destination
 * @param clockSkew tolerated clock difference with the IdP, at most {@link #MAX_CLOCK_SKEW}
 * @param requiredAuthnContextClassRefs the MFA policy: when not empty, the assertion's
 *     AuthnContextClassRef must be one of these
 * @param allowUnsolicited whether IdP-initiated sign-in (no InResponseTo) is accepted
 * @param attributeMapping SAML attribute Name to Warden attribute name
 */
public record SamlSettings(
        OrgId org,
        String idpEntityId,
        URI idpSsoUrl,
        List<X509Certificate> idpCertificates,
        String spEntityId,
        URI acsUrl,
        Duration clockSkew,
        Set<String> requiredAuthnContextClassRefs,
        boolean allowUnsolicited,
        Map<String, String> attributeMapping) {
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(2);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    public SamlSettings {
        requireNonNull(org, "org is null");
        requireNonBlank(idpEntityId, "idpEntityId");
        requireHttpUrl(idpSsoUrl, "idpSsoUrl");
        idpCertificates = List.copyOf(requireNonNull(idpCertificates, "idpCertificates is null"));
        if (idpCertificates.isEmpty()) {
            throw new IllegalArgumentException("at least one IdP signing certificate is required");
        }
        requireNonBlank(spEntityId, "spEntityId");
        requireHttpUrl(acsUrl, "acsUrl");
        requireNonNull(clockSkew, "clockSkew is null");
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clockSkew must be between 0 and " + MAX_CLOCK_SKEW);
        }
        requiredAuthnContextClassRefs = Collections.unmodifiableSet(
                new LinkedHashSet<>(requireNonNull(requiredAuthnContextClassRefs, "requiredAuthnContextClassRefs is null")));
        requiredAuthnContextClassRefs.forEach(v -> requireNonBlank(v, "requiredAuthnContextClassRefs value"));
        attributeMapping = Collections.unmodifiableMap(
                new LinkedHashMap<>(requireNonNull(attributeMapping, "attributeMapping is null")));
        attributeMapping.forEach((k, v) -> {
            requireNonBlank(k, "attributeMapping key");
            requireNonBlank(v, "attributeMapping value");
        });
    }

    public static Builder builder(OrgId org) {
        return new Builder(org);
    }

    private static void requireNonBlank(String value, String name) {
        if (requireNonNull(value, name + " is null").isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }

    private static void requireHttpUrl(URI value, String name) {
        requireNonNull(value, name + " is null");
        String scheme = value.getScheme();
        if (!value.isAbsolute() || value.getHost() == null
                || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException(name + " must be an absolute http(s) URL");
        }
    }

    /** Mutable builder; defaults: 2 minutes of skew, no MFA requirement, unsolicited refused, no mapping. */
    public static final class Builder {
        private final OrgId org;
        private String idpEntityId;
        private URI idpSsoUrl;
        private final List<X509Certificate> idpCertificates = new ArrayList<>();
        private String spEntityId;
        private URI acsUrl;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private final Set<String> requiredAuthnContextClassRefs = new LinkedHashSet<>();
        private boolean allowUnsolicited;
        private final Map<String, String> attributeMapping = new LinkedHashMap<>();

        private Builder(OrgId org) {
            this.org = requireNonNull(org, "org is null");
        }

        public Builder idp(String entityId, URI ssoUrl) {
            this.idpEntityId = entityId;
            this.idpSsoUrl = ssoUrl;
            return this;
        }

        public Builder idpCertificate(X509Certificate certificate) {
            idpCertificates.add(requireNonNull(certificate, "certificate is null"));
            return this;
        }

        public Builder sp(String entityId, URI acsUrl) {
            this.spEntityId = entityId;
            this.acsUrl = acsUrl;
            return this;
        }

        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
            return this;
        }

        public Builder requireAuthnContextClassRef(String classRef) {
            requiredAuthnContextClassRefs.add(requireNonNull(classRef, "classRef is null"));
            return this;
        }

        public Builder allowUnsolicited(boolean allow) {
            this.allowUnsolicited = allow;
            return this;
        }

        public Builder mapAttribute(String samlName, String wardenName) {
            attributeMapping.put(requireNonNull(samlName, "samlName is null"), requireNonNull(wardenName, "wardenName is null"));
            return this;
        }

        public SamlSettings build() {
            return new SamlSettings(org, idpEntityId, idpSsoUrl, idpCertificates, spEntityId, acsUrl, clockSkew,
                    requiredAuthnContextClassRefs, allowUnsolicited, attributeMapping);
        }
    }
}
