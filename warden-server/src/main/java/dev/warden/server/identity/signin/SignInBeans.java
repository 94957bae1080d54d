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
    @Bean
    ProviderMetadataCache providerMetadataCache(Clock clock) {
        return new ProviderMetadataCache(IdpHttp.standard(), clock);
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
