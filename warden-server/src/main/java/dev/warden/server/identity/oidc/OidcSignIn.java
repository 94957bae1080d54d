package dev.warden.server.identity.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import dev.warden.server.identity.oidc.OidcRejected.Reason;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Completes an OIDC sign-in: checks the callback against the {@link PendingSignIn}, exchanges
 * the code at the provider's token endpoint (with the client secret and the PKCE verifier),
 * verifies the ID token, and applies the org's rules (verified email in an allowed domain, MFA).
 * Every refusal is an {@link OidcRejected} with a {@link Reason}; nothing is returned that has
 * not passed every check.
 */
public final class OidcSignIn {
    /** A sign-in must come back within this time of being started. */
    public static final Duration MAX_PENDING_AGE = Duration.ofMinutes(10);
    private static final int MAX_CODE_CHARS = 4096;
    private static final int MAX_VALUES_PER_CLAIM = 1000;
    private static final int MAX_VALUE_CHARS = 1024;
    /** An OAuth error code is short ASCII; anything else from the provider is not repeated. */
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");

    private final ProviderMetadataCache providers;
    private final IdTokenVerifier idTokens;

    public OidcSignIn(ProviderMetadataCache providers) {
        this.providers = Objects.requireNonNull(providers, "providers is null");
        this.idTokens = new IdTokenVerifier(providers);
    }

    /**
     * @param settings the settings of the org the pending sign-in belongs to
     * @param pending what {@link AuthorizationRequests#start} returned, from server-side storage
     * @param stateFromCallback the callback's {@code state} parameter
     * @param codeFromCallback the callback's {@code code} parameter
     * @param redirectUri the URI the callback arrived at; must be the one the sign-in started with
     * @param now the current time, for the pending sign-in's age and the token's time claims
     * @throws OidcRejected for any reason not to let this person in
     */
    public OidcIdentity complete(OidcSettings settings, PendingSignIn pending, String stateFromCallback,
                                 String codeFromCallback, URI redirectUri, Instant now) {
        Objects.requireNonNull(settings, "settings is null");
        Objects.requireNonNull(pending, "pending is null");
        Objects.requireNonNull(now, "now is null");
        if (!IdTokenVerifier.constantTimeEquals(stateFromCallback, pending.state())) {
            throw new OidcRejected(Reason.STATE_MISMATCH, "callback state is not the pending sign-in's");
        }
        if (!pending.org().equals(settings.org())) {
            throw new OidcRejected(Reason.SIGN_IN_MISMATCH, "pending sign-in belongs to another org");
        }
        if (!pending.redirectUri().equals(redirectUri)) {
            throw new OidcRejected(Reason.SIGN_IN_MISMATCH, "callback redirect URI is not the one the sign-in started with");
        }
        if (now.isAfter(pending.createdAt().plus(MAX_PENDING_AGE))
                || now.plus(settings.clockSkew()).isBefore(pending.createdAt())) {
            throw new OidcRejected(Reason.SIGN_IN_EXPIRED, "pending sign-in is older than " + MAX_PENDING_AGE.toMinutes() + " min");
        }
        if (codeFromCallback == null || codeFromCallback.isBlank() || codeFromCallback.length() > MAX_CODE_CHARS) {
            throw new OidcRejected(Reason.INVALID_CALLBACK, "callback has no usable code");
        }

        ProviderMetadataCache.Endpoints endpoints = providers.endpoints(settings.issuer());
        String idToken = exchange(settings, endpoints, pending, codeFromCallback);
        JWTClaimsSet claims = idTokens.verify(idToken, settings, pending.nonce(), now);
        return identity(settings, claims);
    }

    private String exchange(OidcSettings settings, ProviderMetadataCache.Endpoints endpoints, PendingSignIn pending,
                            String code) {
        Secret secret = settings.clientSecret().toNimbusSecret();
        HTTPResponse response;
        try {
            ClientID clientId = new ClientID(settings.clientId());
            ClientAuthentication auth = switch (settings.clientAuthMethod()) {
                case CLIENT_SECRET_BASIC -> new ClientSecretBasic(clientId, secret);
                case CLIENT_SECRET_POST -> new ClientSecretPost(clientId, secret);
            };
            AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), pending.redirectUri(),
                    new CodeVerifier(pending.codeVerifier()));
            HTTPRequest request = new TokenRequest(endpoints.tokenEndpoint(), auth, grant).toHTTPRequest();
            response = ProviderMetadataCache.get(providers.http(), request, "token request");
        } finally {
            secret.erase();
        }

        int status = response.getStatusCode();
        if (status >= 500) {
            throw new OidcRejected(Reason.IDP_UNAVAILABLE, "token endpoint answered " + status);
        }
        TokenResponse parsed;
        try {
            parsed = OIDCTokenResponseParser.parse(response);
        } catch (ParseException | RuntimeException e) {
            throw new OidcRejected(Reason.TOKEN_EXCHANGE_FAILED, "token endpoint answered " + status + " with an unusable body");
        }
        if (!parsed.indicatesSuccess()) {
            ErrorObject error = ((TokenErrorResponse) parsed).getErrorObject();
            String errorCode = error == null || error.getCode() == null || !ERROR_CODE.matcher(error.getCode()).matches()
                    ? "unknown" : error.getCode();
            throw new OidcRejected(Reason.TOKEN_EXCHANGE_FAILED, "token endpoint answered " + status + " " + errorCode);
        }
        if (!(parsed instanceof OIDCTokenResponse oidc) || oidc.getOIDCTokens().getIDTokenString() == null) {
            throw new OidcRejected(Reason.TOKEN_EXCHANGE_FAILED, "token response has no ID token");
        }
        return oidc.getOIDCTokens().getIDTokenString();
    }

    private static OidcIdentity identity(OidcSettings settings, JWTClaimsSet claims) {
        String email = stringClaim(claims, "email");
        if (email == null || email.isBlank()) {
            throw new OidcRejected(Reason.EMAIL_MISSING, "ID token has no email");
        }
        // Only a JSON true counts: absent, false, "true" as text or anything else is not verified.
        if (!Boolean.TRUE.equals(claims.getClaim("email_verified"))) {
            throw new OidcRejected(Reason.EMAIL_NOT_VERIFIED, "ID token email_verified is not true");
        }
        if (!settings.allowedEmailDomains().isEmpty()) {
            Optional<String> domain = domainOf(email);
            if (domain.isEmpty() || !settings.allowedEmailDomains().contains(domain.get())) {
                throw new OidcRejected(Reason.DOMAIN_NOT_ALLOWED, "email domain is not among the org's allowed domains");
            }
            if (settings.hostedDomainClaim()) {
                String hd = stringClaim(claims, "hd");
                if (hd == null || !settings.allowedEmailDomains().contains(hd.toLowerCase(Locale.ROOT))) {
                    throw new OidcRejected(Reason.DOMAIN_NOT_ALLOWED, "hd claim is not among the org's allowed domains");
                }
            }
        }

        Optional<String> acr = Optional.ofNullable(stringClaim(claims, "acr"));
        List<String> amr = values(claims.getClaim("amr"));
        if (settings.requiresMfa()) {
            boolean acrSatisfies = acr.isPresent() && settings.requiredAcrValues().contains(acr.get());
            boolean amrSatisfies = amr.stream().anyMatch(settings.requiredAmrValues()::contains);
            if (!acrSatisfies && !amrSatisfies) {
                throw new OidcRejected(Reason.MFA_REQUIRED, mfaMessage(settings), "ID token shows none of the required acr/amr values");
            }
        }

        Map<String, List<String>> attributes = new LinkedHashMap<>();
        settings.claimMapping().forEach((claim, attribute) -> {
            List<String> mapped = values(claims.getClaim(claim));
            if (!mapped.isEmpty()) {
                attributes.merge(attribute, mapped, (a, b) -> {
                    List<String> both = new ArrayList<>(a);
                    both.addAll(b);
                    return both;
                });
            }
        });
        List<String> groups = settings.groupsClaim().map(claim -> values(claims.getClaim(claim))).orElse(List.of());
        Date authTime = dateClaim(claims, "auth_time");

        return new OidcIdentity(settings.org(), claims.getIssuer(), claims.getSubject(), email, true,
                Optional.ofNullable(stringClaim(claims, "name")), attributes, groups, acr, amr,
                Optional.ofNullable(authTime).map(Date::toInstant));
    }

    private static String mfaMessage(OidcSettings settings) {
        StringBuilder message = new StringBuilder("Your organization requires multi-factor authentication, and your "
                + "identity provider did not report it for this sign-in. Sign in again using a second factor");
        List<String> accepted = new ArrayList<>();
        if (!settings.requiredAcrValues().isEmpty()) {
            accepted.add("acr " + String.join(" or ", new TreeSet<>(settings.requiredAcrValues())));
        }
        if (!settings.requiredAmrValues().isEmpty()) {
            accepted.add("amr " + String.join(" or ", new TreeSet<>(settings.requiredAmrValues())));
        }
        return message.append(" (accepted: ").append(String.join("; ", accepted)).append(").").toString();
    }

    /**
     * The domain after the single {@code @}, lower-cased. Exact match only against the allowed
     * set: {@code evil-acme.com} and {@code acme.com.evil.net} are different domains from
     * {@code acme.com}, and so are subdomains.
     */
    static Optional<String> domainOf(String email) {
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@') || at == email.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(email.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }

    private static Date dateClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getDateClaim(name);
        } catch (java.text.ParseException e) {
            return null;
        }
    }

    /** A claim's value as strings: a string, number or boolean as itself; an array element by element; anything else nothing. */
    private static List<String> values(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof Collection<?> many) {
            for (Object element : many) {
                addScalar(out, element);
                if (out.size() >= MAX_VALUES_PER_CLAIM) {
                    break;
                }
            }
        } else {
            addScalar(out, claim);
        }
        return List.copyOf(out);
    }

    private static void addScalar(List<String> out, Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            String text = value.toString();
            if (!text.isEmpty() && text.length() <= MAX_VALUE_CHARS) {
                out.add(text);
            }
        }
    }
}
