package dev.warden.server.identity.sso;

import dev.warden.server.access.AccessContext;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.identity.oidc.ClientSecret;
import dev.warden.server.identity.oidc.OidcSettings;
import dev.warden.server.identity.saml.SamlSettings;
import dev.warden.server.keys.OrgKeys;
import dev.warden.server.problem.InvalidRequest;
import dev.warden.server.problem.ResourceNotFound;
import dev.warden.server.tenancy.Org;
import dev.warden.server.tenancy.Tenants;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each org's SSO settings (ORG_ADMIN): OIDC and SAML. Settings are checked by building the very
 * settings objects sign-in uses, so what is stored is what works. The OIDC client secret is
 * sealed on arrival with the org's credentials keyset and never returned; audit events say only
 * whether it was replaced.
 */
@Service
@Transactional
public class SsoSettings {
    private static final java.util.regex.Pattern DOMAIN = java.util.regex.Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

    private final SsoRepository repository;
    private final OrgKeys keys;
    private final Tenants tenants;
    private final AuditLog audit;
    private final Clock clock;
    private final String publicUrl;
    private final JsonMapper json = JsonMapper.builder().build();

    public SsoSettings(SsoRepository repository, OrgKeys keys, Tenants tenants, AuditLog audit, Clock clock,
                       @Value("${warden.public-url:http://localhost:8080}") String publicUrl) {
        this.repository = repository;
        this.keys = keys;
        this.tenants = tenants;
        this.audit = audit;
        this.clock = clock;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** OIDC settings as an admin writes them; {@code clientSecret} is write-only and optional on change. */
    public record OidcConfig(String preset, String oktaDomain, String issuer, String clientId, List<String> scopes,
                             Map<String, String> claimMapping, String groupsClaim, List<String> allowedEmailDomains,
                             List<String> requiredAcr, List<String> requiredAmr, Integer clockSkewSeconds,
                             Boolean jitProvisioning, String clientSecret) {
        OidcConfig withoutSecret() {
            return new OidcConfig(preset, oktaDomain, issuer, clientId, scopes, claimMapping, groupsClaim,
                    allowedEmailDomains, requiredAcr, requiredAmr, clockSkewSeconds, jitProvisioning, null);
        }

        @Override
        public String toString() {
            return "OidcConfig[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=redacted]";
        }
    }

    public record SamlConfig(String idpEntityId, String idpSsoUrl, List<String> idpCertificates,
                             Map<String, String> attributeMapping, List<String> requiredAuthnContextClassRefs,
                             Boolean allowUnsolicited, Integer clockSkewSeconds, Boolean jitProvisioning,
                             List<String> allowedEmailDomains) {}

    /**
     * What sign-in needs of an org, read afresh for each sign-in: the OIDC settings with the client
     * secret opened (only the sign-in component calls this), the SAML settings, and each protocol's
     * provisioning rules. Empty protocols are not configured.
     */
    public record SignInConfig(Org org, Optional<OidcSettings> oidc, boolean oidcJit, Optional<SamlSettings> saml,
                               boolean samlJit, Set<String> samlAllowedDomains) {
        @Override
        public String toString() {
            return "SignInConfig[org=" + org.slug() + ", oidc=" + oidc.isPresent() + ", saml=" + saml.isPresent() + "]";
        }
    }

    @Transactional(readOnly = true)
    public Optional<OidcConfig> oidc(AccessContext admin) {
        return repository.oidc(admin.orgId()).map(s -> json.readValue(s.settings(), OidcConfig.class));
    }

    @Transactional(readOnly = true)
    public boolean oidcSecretSet(AccessContext admin) {
        return repository.oidc(admin.orgId()).flatMap(SsoRepository.StoredOidc::sealedSecret).isPresent();
    }

    public OidcConfig saveOidc(AccessContext admin, OidcConfig config) {
        Optional<SsoRepository.StoredOidc> before = repository.oidc(admin.orgId());
        boolean newSecret = config.clientSecret() != null;
        if (!newSecret && before.flatMap(SsoRepository.StoredOidc::sealedSecret).isEmpty()) {
            throw new InvalidRequest("client_secret is required the first time");
        }
        if (newSecret && (config.clientSecret().isEmpty() || config.clientSecret().length() > 4096)) {
            throw new InvalidRequest("client_secret must have 1 to 4096 characters");
        }
        if ("google".equals(config.preset()) && Boolean.TRUE.equals(config.jitProvisioning())
                && (config.allowedEmailDomains() == null || config.allowedEmailDomains().isEmpty())) {
            // Google signs in every Google account in the world: provisioning needs a domain limit.
            throw new InvalidRequest("with the google preset, jit_provisioning needs allowed_email_domains");
        }
        // Check by building what sign-in builds; the secret stands in as a placeholder when unchanged.
        toSettings(admin.orgId(), config, ClientSecret.of(newSecret ? config.clientSecret() : "unchanged"));
        byte[] sealed = newSecret
                ? keys.credentials(admin.orgId()).seal(config.clientSecret().getBytes(StandardCharsets.UTF_8),
                        oidcSecretRecord(admin))
                : before.get().sealedSecret().get();
        OidcConfig stored = config.withoutSecret();
        repository.saveOidc(admin.orgId(), json.writeValueAsString(stored), sealed, clock.instant());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("issuer", stored.issuer());
        details.put("client_id", stored.clientId());
        details.put("client_secret", newSecret ? "replaced" : "unchanged");
        audit.append(admin.orgId(), AuditRecord.of(AuditActor.of(admin), "sso.oidc.update").target("org", admin.orgId())
                .requestId(admin.requestId()).details(details).build());
        return stored;
    }

    @Transactional(readOnly = true)
    public Optional<SamlConfig> saml(AccessContext admin) {
        return repository.saml(admin.orgId()).map(s -> json.readValue(s, SamlConfig.class));
    }

    public SamlConfig saveSaml(AccessContext admin, SamlConfig config) {
        Org org = tenants.find(admin.orgId()).orElseThrow();
        samlSettings(org, config);
        if (config.allowedEmailDomains() != null) {
            for (String domain : config.allowedEmailDomains()) {
                if (domain == null || !DOMAIN.matcher(domain.toLowerCase(java.util.Locale.ROOT)).matches()) {
                    throw new InvalidRequest("allowed_email_domains must be domain names such as example.com");
                }
            }
        }
        repository.saveSaml(admin.orgId(), json.writeValueAsString(config), clock.instant());
        audit.append(admin.orgId(), AuditRecord.of(AuditActor.of(admin), "sso.saml.update").target("org", admin.orgId())
                .requestId(admin.requestId()).details(Map.of("idp_entity_id", String.valueOf(config.idpEntityId()),
                        "certificates", config.idpCertificates() == null ? 0 : config.idpCertificates().size())).build());
        return config;
    }

    @Transactional(readOnly = true)
    public SignInConfig forSignIn(Org org) {
        Optional<OidcSettings> oidc = Optional.empty();
        boolean oidcJit = false;
        Optional<SsoRepository.StoredOidc> stored = repository.oidc(org.id());
        if (stored.isPresent() && stored.get().sealedSecret().isPresent()) {
            OidcConfig config = json.readValue(stored.get().settings(), OidcConfig.class);
            byte[] secret;
            try {
                secret = keys.openCredential(org.id(), stored.get().sealedSecret().get(),
                        "sso:oidc:" + org.id() + ":client_secret", dev.warden.crypto.CredentialAccess.get());
            } catch (dev.warden.crypto.SealedDataUnreadable e) {
                // Not a matter of the person's input: the org's keys and this record disagree.
                throw new IllegalStateException("the org's OIDC client secret cannot be opened with its keyset");
            }
            try {
                oidc = Optional.of(toSettings(org.id(), config, ClientSecret.of(new String(secret, StandardCharsets.UTF_8))));
            } finally {
                java.util.Arrays.fill(secret, (byte) 0);
            }
            oidcJit = Boolean.TRUE.equals(config.jitProvisioning());
        }
        Optional<SamlSettings> saml = Optional.empty();
        boolean samlJit = false;
        Set<String> samlDomains = Set.of();
        Optional<String> samlStored = repository.saml(org.id());
        if (samlStored.isPresent()) {
            SamlConfig config = json.readValue(samlStored.get(), SamlConfig.class);
            saml = Optional.of(samlSettings(org, config));
            samlJit = Boolean.TRUE.equals(config.jitProvisioning());
            samlDomains = config.allowedEmailDomains() == null ? Set.of() : config.allowedEmailDomains().stream()
                    .map(d -> d.toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
        return new SignInConfig(org, oidc, oidcJit, saml, samlJit, samlDomains);
    }

    /** Where an org's OIDC provider sends the browser back; the org's admin registers it at the IdP. */
    public URI oidcRedirectUri(Org org) {
        return URI.create(publicUrl + "/oidc/" + org.slug() + "/callback");
    }

    /** The SP side of an org's SAML: its entity id and ACS URL, derived from the public URL and the slug. */
    public record ServiceProvider(String entityId, String acsUrl, String metadataUrl) {}

    public ServiceProvider serviceProvider(Org org) {
        String base = publicUrl + "/saml/" + org.slug();
        return new ServiceProvider(base + "/metadata", base + "/acs", base + "/metadata");
    }

    /** SP metadata of an org with SAML configured; an unknown org and one without SAML look alike. */
    @Transactional(readOnly = true)
    public String metadata(String slug) {
        Org org = tenants.findBySlug(slug).orElseThrow(() -> new ResourceNotFound("SAML service provider"));
        SamlConfig config = repository.saml(org.id()).map(s -> json.readValue(s, SamlConfig.class))
                .orElseThrow(() -> new ResourceNotFound("SAML service provider"));
        return dev.warden.server.identity.saml.SpMetadata.xml(samlSettings(org, config));
    }

    SamlSettings samlSettings(Org org, SamlConfig c) {
        try {
            ServiceProvider sp = serviceProvider(org);
            SamlSettings.Builder b = SamlSettings.builder(org.id())
                    .idp(require(c.idpEntityId(), "idp_entity_id"), URI.create(require(c.idpSsoUrl(), "idp_sso_url")))
                    .sp(sp.entityId(), URI.create(sp.acsUrl()))
                    .allowUnsolicited(Boolean.TRUE.equals(c.allowUnsolicited()));
            if (c.idpCertificates() == null || c.idpCertificates().isEmpty()) {
                throw new InvalidRequest("idp_certificates needs at least one PEM certificate");
            }
            for (String pem : c.idpCertificates()) {
                b.idpCertificate(certificate(pem));
            }
            if (c.clockSkewSeconds() != null) {
                b.clockSkew(Duration.ofSeconds(c.clockSkewSeconds()));
            }
            if (c.requiredAuthnContextClassRefs() != null) {
                c.requiredAuthnContextClassRefs().forEach(b::requireAuthnContextClassRef);
            }
            if (c.attributeMapping() != null) {
                c.attributeMapping().forEach(b::mapAttribute);
            }
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRequest("SAML settings: " + safe(e));
        }
    }

    private static OidcSettings toSettings(dev.warden.server.access.OrgId org, OidcConfig c, ClientSecret secret) {
        try {
            OidcSettings.Builder b = switch (c.preset() == null ? "" : c.preset()) {
                case "google" -> OidcSettings.google(require(c.clientId(), "client_id"), secret);
                case "okta" -> OidcSettings.okta(require(c.oktaDomain(), "okta_domain"), require(c.clientId(), "client_id"), secret);
                case "" -> OidcSettings.builder(require(c.issuer(), "issuer"), require(c.clientId(), "client_id"), secret);
                default -> throw new InvalidRequest("preset must be google or okta (or absent)");
            };
            b.org(org);
            if (c.scopes() != null) {
                b.scopes(c.scopes());
            }
            if (c.claimMapping() != null) {
                b.claimMapping(c.claimMapping());
            }
            if (c.groupsClaim() != null) {
                b.groupsClaim(c.groupsClaim());
            }
            if (c.allowedEmailDomains() != null) {
                b.allowedEmailDomains(c.allowedEmailDomains());
            }
            if (c.requiredAcr() != null) {
                b.requiredAcrValues(c.requiredAcr());
            }
            if (c.requiredAmr() != null) {
                b.requiredAmrValues(c.requiredAmr());
            }
            if (c.clockSkewSeconds() != null) {
                b.clockSkew(Duration.ofSeconds(c.clockSkewSeconds()));
            }
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRequest("OIDC settings: " + safe(e));
        }
    }

    private static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new InvalidRequest("idp_certificates must be PEM X.509 certificates");
        }
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequest(name + " is required");
        }
        return value;
    }

    /** The settings classes' own messages name the setting; they never hold a secret. Bounded anyway. */
    private static String safe(RuntimeException e) {
        String m = e.getMessage() == null ? "invalid value" : e.getMessage();
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    private static String oidcSecretRecord(AccessContext admin) {
        return "sso:oidc:" + admin.orgId() + ":client_secret";
    }
}
