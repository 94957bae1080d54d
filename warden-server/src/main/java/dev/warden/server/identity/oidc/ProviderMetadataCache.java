package dev.warden.server.identity.oidc;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderConfigurationRequest;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.warden.server.identity.oidc.OidcRejected.Reason;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What Warden knows about each identity provider, by issuer: its discovery document and its
 * signing keys. Shared by all orgs (both are public); an org's settings decide which issuer it
 * trusts.
 *
 * <ul>
 *   <li>Discovery is read from {@code {issuer}/.well-known/openid-configuration}, and the
 *       {@code issuer} in it must equal the configured issuer exactly; the authorization, token
 *       and JWKS endpoints must be https (http only on a loopback host).</li>
 *   <li>Keys come from the discovered {@code jwks_uri} only, never from a token's headers. They
 *       are cached for {@link #KEYS_TTL}; a token whose key is not in the cache triggers a
 *       refresh, at most once per {@link #MIN_KEY_REFRESH_INTERVAL} per issuer, so a stream of
 *       tokens with made-up key ids cannot make Warden hammer the provider.</li>
 *   <li>Every call goes through the injected {@link HTTPRequestSender} with timeouts set
 *       ({@link IdpHttp} by default).</li>
 * </ul>
 */
public final class ProviderMetadataCache {
    public static final Duration METADATA_TTL = Duration.ofHours(1);
    public static final Duration KEYS_TTL = Duration.ofHours(1);
    public static final Duration MIN_KEY_REFRESH_INTERVAL = Duration.ofSeconds(30);
    /** Set on every request for senders that read them; {@link IdpHttp} also has its own deadline. */
    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final int READ_TIMEOUT_MS = 10_000;
    private static final int MIN_RSA_KEY_BITS = 2048;

    /** The endpoints discovery yielded for one issuer. */
    record Endpoints(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri,
                     List<ClientAuthenticationMethod> tokenEndpointAuthMethods) {
    }

    private final HTTPRequestSender http;
    private final Clock clock;
    private final ConcurrentMap<String, Provider> providers = new ConcurrentHashMap<>();

    public ProviderMetadataCache(HTTPRequestSender http, Clock clock) {
        this.http = Objects.requireNonNull(http, "http is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** With {@link IdpHttp#standard()} and the system clock. */
    public static ProviderMetadataCache create() {
        return new ProviderMetadataCache(IdpHttp.standard(), Clock.systemUTC());
    }

    /** Drops what is known about an issuer, for example after an admin changed an org's IdP. */
    public void forget(String issuer) {
        providers.remove(issuer);
    }

    HTTPRequestSender http() {
        return http;
    }

    Endpoints endpoints(String issuer) {
        return provider(issuer).endpoints();
    }

    /**
     * The provider's public keys that fit this header (key id, key type and curve for the
     * algorithm, use {@code sig}); refreshed once, rate-limited, when none fits. Empty when no
     * key fits even then.
     */
    List<JWK> verificationKeys(String issuer, JWSHeader header) {
        return provider(issuer).keys(header);
    }

    private Provider provider(String issuer) {
        return providers.computeIfAbsent(issuer, Provider::new);
    }

    static HTTPResponse get(HTTPRequestSender http, HTTPRequest request, String what) {
        request.setConnectTimeout(CONNECT_TIMEOUT_MS);
        request.setReadTimeout(READ_TIMEOUT_MS);
        request.setFollowRedirects(false);
        try {
            return request.send(http);
        } catch (IOException e) {
            throw new OidcRejected(Reason.IDP_UNAVAILABLE, Reason.IDP_UNAVAILABLE.defaultMessage(),
                    what + " failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private final class Provider {
        private final String issuer;
        private Endpoints endpoints;
        private Instant endpointsFetchedAt;
        private JWKSet keys;
        private Instant keysFetchedAt;
        private Instant lastKeyFetch;

        Provider(String issuer) {
            this.issuer = issuer;
        }

        synchronized Endpoints endpoints() {
            Instant now = clock.instant();
            if (endpoints == null || !now.isBefore(endpointsFetchedAt.plus(METADATA_TTL))) {
                endpoints = discover();
                endpointsFetchedAt = now;
            }
            return endpoints;
        }

        synchronized List<JWK> keys(JWSHeader header) {
            Endpoints discovered = endpoints();
            Instant now = clock.instant();
            if (keys == null || !now.isBefore(keysFetchedAt.plus(KEYS_TTL))) {
                if (keys == null && !mayFetchKeys(now)) {
                    throw new OidcRejected(Reason.IDP_UNAVAILABLE, "JWKS not available, retry rate-limited");
                }
                try {
                    fetchKeys(discovered, now);
                } catch (OidcRejected e) {
                    if (keys == null) {
                        throw e;
                    }
                    // Stale keys stay usable while the provider's JWKS endpoint is briefly down.
                }
            }
            List<JWK> matching = select(header);
            if (matching.isEmpty() && mayFetchKeys(now)) {
                fetchKeys(discovered, now);
                matching = select(header);
            }
            return matching;
        }

        private boolean mayFetchKeys(Instant now) {
            return lastKeyFetch == null || !now.isBefore(lastKeyFetch.plus(MIN_KEY_REFRESH_INTERVAL));
        }

        private List<JWK> select(JWSHeader header) {
            return new JWKSelector(JWKMatcher.forJWSHeader(header)).select(keys).stream()
                    .filter(key -> !(key instanceof RSAKey rsa) || rsa.size() >= MIN_RSA_KEY_BITS)
                    .map(JWK::toPublicJWK)
                    .toList();
        }

        private void fetchKeys(Endpoints discovered, Instant now) {
            lastKeyFetch = now;
            HTTPResponse response = get(http, new HTTPRequest(HTTPRequest.Method.GET, discovered.jwksUri()), "JWKS request");
            if (response.getStatusCode() != 200) {
                throw new OidcRejected(Reason.IDP_UNAVAILABLE, "JWKS endpoint answered " + response.getStatusCode());
            }
            try {
                keys = JWKSet.parse(response.getBody()).toPublicJWKSet();
                keysFetchedAt = now;
            } catch (java.text.ParseException | RuntimeException e) {
                throw new OidcRejected(Reason.IDP_UNAVAILABLE, "JWKS document is not a valid JWK set");
            }
        }

        private Endpoints discover() {
            HTTPRequest request;
            try {
                request = new OIDCProviderConfigurationRequest(new Issuer(issuer)).toHTTPRequest();
            } catch (RuntimeException e) {
                throw new OidcRejected(Reason.DISCOVERY_REJECTED, "issuer cannot be turned into a discovery URL");
            }
            HTTPResponse response = get(http, request, "discovery request");
            int status = response.getStatusCode();
            if (status >= 500) {
                throw new OidcRejected(Reason.IDP_UNAVAILABLE, "discovery endpoint answered " + status);
            }
            if (status != 200) {
                throw new OidcRejected(Reason.DISCOVERY_REJECTED, "discovery endpoint answered " + status);
            }
            OIDCProviderMetadata metadata;
            try {
                metadata = OIDCProviderMetadata.parse(response.getBody());
            } catch (ParseException | RuntimeException e) {
                throw new OidcRejected(Reason.DISCOVERY_REJECTED, "discovery document is not valid OpenID provider metadata");
            }
            // Exact comparison: no normalisation of case, trailing slashes or default ports (OIDC Discovery 4.3).
            if (metadata.getIssuer() == null || !issuer.equals(metadata.getIssuer().getValue())) {
                throw new OidcRejected(Reason.DISCOVERY_REJECTED, "discovery document names another issuer");
            }
            URI authorization = metadata.getAuthorizationEndpointURI();
            URI token = metadata.getTokenEndpointURI();
            URI jwks = metadata.getJWKSetURI();
            if (!OidcSettings.isAcceptableEndpoint(authorization) || !OidcSettings.isAcceptableEndpoint(token)
                    || !OidcSettings.isAcceptableEndpoint(jwks)) {
                throw new OidcRejected(Reason.DISCOVERY_REJECTED,
                        "discovery document lacks an authorization, token or JWKS endpoint, or one is not https");
            }
            List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods() == null
                    ? List.of() : List.copyOf(metadata.getTokenEndpointAuthMethods());
            return new Endpoints(issuer, authorization, token, jwks, methods);
        }
    }
}
