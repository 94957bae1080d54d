package dev.warden.server.identity.oidc;

import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Starts OIDC sign-ins: the authorization code flow with PKCE (S256), a fresh state and nonce
 * per sign-in (256 random bits each, from Nimbus's {@code SecureRandom}), and the org's scopes.
 * When the org requires particular {@code acr} values they are requested with
 * {@code acr_values}; whether the provider honoured them is checked on the way back.
 */
public final class AuthorizationRequests {
    private final ProviderMetadataCache providers;
    private final Clock clock;

    public AuthorizationRequests(ProviderMetadataCache providers, Clock clock) {
        this.providers = Objects.requireNonNull(providers, "providers is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /**
     * @param redirectUri Warden's callback URL for this org, https (http only on loopback)
     * @throws OidcRejected with {@code DISCOVERY_REJECTED} or {@code IDP_UNAVAILABLE} when the
     *     provider's discovery document cannot be obtained or is not acceptable
     */
    public SignInRedirect start(OidcSettings settings, URI redirectUri) {
        Objects.requireNonNull(settings, "settings is null");
        if (!OidcSettings.isAcceptableEndpoint(redirectUri)) {
            throw new IllegalArgumentException("the redirect URI must be an absolute https URL (http only on loopback)");
        }
        ProviderMetadataCache.Endpoints endpoints = providers.endpoints(settings.issuer());
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        Instant now = clock.instant();

        AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(
                ResponseType.CODE, new Scope(settings.scopes().toArray(String[]::new)),
                new ClientID(settings.clientId()), redirectUri)
                .endpointURI(endpoints.authorizationEndpoint())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        if (!settings.requiredAcrValues().isEmpty()) {
            request.acrValues(settings.requiredAcrValues().stream().sorted().map(ACR::new).toList());
        }
        PendingSignIn pending = new PendingSignIn(settings.org(), state.getValue(), nonce.getValue(),
                verifier.getValue(), redirectUri, now);
        return new SignInRedirect(request.build().toURI(), pending);
    }
}
