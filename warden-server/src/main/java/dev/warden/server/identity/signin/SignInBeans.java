package dev.warden.server.identity.signin;

import dev.warden.server.identity.oidc.AuthorizationRequests;
import dev.warden.server.identity.oidc.IdpHttp;
import dev.warden.server.identity.oidc.OidcSignIn;
import dev.warden.server.identity.oidc.ProviderMetadataCache;
import dev.warden.server.identity.saml.AuthnRequests;
import dev.warden.server.identity.saml.SamlResponseValidator;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The protocol engines of sign-in, one of each per node; the provider metadata cache is shared by every org. */
@Configuration
class SignInBeans {
    /**
     * Identity providers are reached under the warehouses' host policy: an org admin names the
     * issuer, so loopback, link-local, cloud metadata and the metadata store's server are refused.
     * Loopback is allowed where warehouses may use it (development, tests) and where the demo's own
     * identity provider runs (the demo on the embedded store: never a production deployment).
     */
    @Bean
    ProviderMetadataCache providerMetadataCache(Clock clock, dev.warden.server.connections.execution.HostPolicy hosts,
                                                @org.springframework.beans.factory.annotation.Value("${warden.demo.enabled:false}") boolean demo,
                                                @org.springframework.beans.factory.annotation.Value("${spring.datasource.url:}") String storeUrl) {
        boolean demoIdp = demo && storeUrl.startsWith("jdbc:h2:");
        IdpHttp.AddressPolicy policy = (address, port) -> hosts.allows(address, port)
                || (demoIdp && address.isLoopbackAddress());
        return new ProviderMetadataCache(IdpHttp.withPolicy(policy), clock);
    }

    @Bean
    AuthorizationRequests authorizationRequests(ProviderMetadataCache providers, Clock clock) {
        return new AuthorizationRequests(providers, clock);
    }

    @Bean
    OidcSignIn oidcSignIn(ProviderMetadataCache providers) {
        return new OidcSignIn(providers);
    }

    @Bean
    AuthnRequests authnRequests() {
        return new AuthnRequests();
    }

    @Bean
    SamlResponseValidator samlResponseValidator() {
        return new SamlResponseValidator();
    }
}
