package dev.warden.server.identity.sso;

import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.Permission;
import dev.warden.server.access.PublicEndpoint;
import dev.warden.server.access.Requires;
import dev.warden.server.problem.ResourceNotFound;
import dev.warden.server.tenancy.Tenants;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** SSO settings (ORG_ADMIN) and the SAML SP metadata (public). */
@RestController
final class SsoController {
    private final SsoSettings sso;
    private final Tenants tenants;
    private final CurrentAccess access;
    private final JsonMapper json = JsonMapper.builder()
            .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE).build();

    SsoController(SsoSettings sso, Tenants tenants, CurrentAccess access) {
        this.sso = sso;
        this.tenants = tenants;
        this.access = access;
    }

    @GetMapping("/api/v1/sso/oidc")
    @Requires(Permission.SSO_ADMIN)
    Map<String, Object> oidc() {
        var context = access.require();
        SsoSettings.OidcConfig config = sso.oidc(context).orElseThrow(() -> new ResourceNotFound("OIDC configuration"));
        return oidcView(context, config, sso.oidcSecretSet(context));
    }

    @PutMapping("/api/v1/sso/oidc")
    @Requires(Permission.SSO_ADMIN)
    Map<String, Object> saveOidc(@RequestBody SsoSettings.OidcConfig config) {
        var context = access.require();
        return oidcView(context, sso.saveOidc(context, config), true);
    }

    @GetMapping("/api/v1/sso/saml")
    @Requires(Permission.SSO_ADMIN)
    Map<String, Object> saml() {
        var context = access.require();
        return samlView(context, sso.saml(context).orElseThrow(() -> new ResourceNotFound("SAML configuration")));
    }

    @PutMapping("/api/v1/sso/saml")
    @Requires(Permission.SSO_ADMIN)
    Map<String, Object> saveSaml(@RequestBody SsoSettings.SamlConfig config) {
        var context = access.require();
        return samlView(context, sso.saveSaml(context, config));
    }

    @GetMapping("/saml/{org}/metadata")
    @PublicEndpoint("an IdP's administrator reads the SP metadata to set up the trust; it holds no secret")
    ResponseEntity<String> metadata(@PathVariable String org) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/samlmetadata+xml"))
                .body(sso.metadata(org));
    }

    private Map<String, Object> oidcView(dev.warden.server.access.AccessContext context, SsoSettings.OidcConfig config,
                                         boolean secretSet) {
        @SuppressWarnings("unchecked")
        Map<String, Object> v = new LinkedHashMap<>(json.convertValue(config, Map.class));
        v.put("client_secret", Map.of("set", secretSet));
        // What the admin registers at the IdP as the redirect (callback) URI.
        tenants.find(context.orgId()).ifPresent(org -> v.put("redirect_uri", sso.oidcRedirectUri(org).toString()));
        return v;
    }

    private Map<String, Object> samlView(dev.warden.server.access.AccessContext context, SsoSettings.SamlConfig config) {
        @SuppressWarnings("unchecked")
        Map<String, Object> v = new LinkedHashMap<>(json.convertValue(config, Map.class));
        var sp = sso.serviceProvider(tenants.find(context.orgId()).orElseThrow());
        v.put("sp_entity_id", sp.entityId());
        v.put("acs_url", sp.acsUrl());
        v.put("metadata_url", sp.metadataUrl());
        return v;
    }
}
