package dev.warden.server.identity.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.warden.server.identity.oidc.OidcRejected.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Decides whether an ID token may be believed (OIDC Core 3.1.3.7), in a fixed order: the form
 * and headers first, then the signature with a key from the provider's JWKS, and only then the
 * claims, so that nothing an unverified token says is ever acted upon. Nimbus does the
 * cryptography; this class decides which algorithm, which key and which claims must hold.
 */
final class IdTokenVerifier {
    /** Headers that name or carry a key: the key must come from the provider's JWKS, nowhere else. */
    private static final Set<String> KEY_CARRYING_HEADERS = Set.of("jku", "x5u", "jwk", "x5c");
    private static final int MAX_TOKEN_CHARS = 64 * 1024;

    private final ProviderMetadataCache providers;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    IdTokenVerifier(ProviderMetadataCache providers) {
        this.providers = providers;
    }

    JWTClaimsSet verify(String idToken, OidcSettings settings, String expectedNonce, Instant now) {
        SignedJWT jwt = parse(idToken);
        JWSHeader header = jwt.getHeader();
        checkHeader(header, settings);
        checkSignature(jwt, header, settings);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new OidcRejected(Reason.MALFORMED_TOKEN, "ID token claims are not a JSON object");
        }
        checkClaims(claims, settings, expectedNonce, now);
        return claims;
    }

    private static SignedJWT parse(String idToken) {
        if (idToken == null || idToken.isEmpty() || idToken.length() > MAX_TOKEN_CHARS) {
            throw new OidcRejected(Reason.MALFORMED_TOKEN, "ID token missing or too large");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(idToken);
        } catch (ParseException e) {
            throw new OidcRejected(Reason.MALFORMED_TOKEN, "ID token is not a JWT");
        }
        if (jwt instanceof SignedJWT signed) {
            return signed;
        }
        // A PlainJWT is alg "none"; an EncryptedJWT is not something this relying party asked for.
        throw new OidcRejected(Reason.ALGORITHM_NOT_ALLOWED, "ID token is not signed (" + jwt.getHeader().getAlgorithm() + ")");
    }

    private static void checkHeader(JWSHeader header, OidcSettings settings) {
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (!settings.allowedAlgorithms().contains(algorithm)) {
            throw new OidcRejected(Reason.ALGORITHM_NOT_ALLOWED, "ID token algorithm " + algorithm + " is not allowed");
        }
        for (String name : header.getIncludedParams()) {
            if (KEY_CARRYING_HEADERS.contains(name)) {
                throw new OidcRejected(Reason.FORBIDDEN_HEADER, "ID token carries a " + name + " header");
            }
        }
        if (header.getJWKURL() != null || header.getJWK() != null || header.getX509CertURL() != null
                || header.getX509CertChain() != null) {
            throw new OidcRejected(Reason.FORBIDDEN_HEADER, "ID token carries a key or key reference in its header");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw new OidcRejected(Reason.FORBIDDEN_HEADER, "ID token has critical header parameters");
        }
        JOSEObjectType type = header.getType();
        if (type != null && !type.getType().equalsIgnoreCase("JWT")) {
            // Keeps access tokens (at+jwt) and other JWT kinds from passing as ID tokens.
            throw new OidcRejected(Reason.FORBIDDEN_HEADER, "ID token typ is not JWT");
        }
    }

    private void checkSignature(SignedJWT jwt, JWSHeader header, OidcSettings settings) {
        List<JWK> keys = providers.verificationKeys(settings.issuer(), header);
        if (keys.isEmpty()) {
            throw new OidcRejected(Reason.UNKNOWN_KEY, "no key of the provider's JWKS matches the ID token");
        }
        for (JWK key : keys) {
            if (!(key instanceof AsymmetricJWK asymmetric)) {
                continue; // never a shared secret: the allow-list has no HMAC, and a JWKS is public
            }
            try {
                PublicKey publicKey = asymmetric.toPublicKey();
                JWSVerifier verifier = verifiers.createJWSVerifier(header, publicKey);
                if (jwt.verify(verifier)) {
                    return;
                }
            } catch (JOSEException | IllegalStateException e) {
                // A key that cannot verify this algorithm: try the next one.
            }
        }
        throw new OidcRejected(Reason.BAD_SIGNATURE, "ID token signature does not verify with the provider's keys");
    }

    private static void checkClaims(JWTClaimsSet claims, OidcSettings settings, String expectedNonce, Instant now) {
        if (!settings.issuer().equals(claims.getIssuer())) {
            throw new OidcRejected(Reason.WRONG_ISSUER, "ID token issuer is not the org's issuer");
        }
        List<String> audience = claims.getAudience();
        if (audience == null || !audience.contains(settings.clientId())) {
            throw new OidcRejected(Reason.WRONG_AUDIENCE, "ID token audience lacks the client id");
        }
        String azp;
        try {
            azp = claims.getStringClaim("azp");
        } catch (ParseException e) {
            throw new OidcRejected(Reason.WRONG_AUDIENCE, "ID token azp is not a string");
        }
        if (audience.size() > 1 && azp == null) {
            throw new OidcRejected(Reason.WRONG_AUDIENCE, "ID token has several audiences and no azp");
        }
        if (azp != null && !azp.equals(settings.clientId())) {
            throw new OidcRejected(Reason.WRONG_AUDIENCE, "ID token azp is another client");
        }

        Duration skew = settings.clockSkew();
        Instant expires = instant(claims.getExpirationTime());
        if (expires == null) {
            throw new OidcRejected(Reason.EXPIRED, "ID token has no exp");
        }
        if (!now.isBefore(expires.plus(skew))) {
            throw new OidcRejected(Reason.EXPIRED, "ID token expired");
        }
        Instant notBefore = instant(claims.getNotBeforeTime());
        if (notBefore != null && now.plus(skew).isBefore(notBefore)) {
            throw new OidcRejected(Reason.NOT_YET_VALID, "ID token nbf is in the future");
        }
        Instant issuedAt = instant(claims.getIssueTime());
        if (issuedAt == null) {
            throw new OidcRejected(Reason.ISSUED_IN_FUTURE, "ID token has no iat");
        }
        if (now.plus(skew).isBefore(issuedAt)) {
            throw new OidcRejected(Reason.ISSUED_IN_FUTURE, "ID token iat is in the future");
        }

        String nonce;
        try {
            nonce = claims.getStringClaim("nonce");
        } catch (ParseException e) {
            nonce = null;
        }
        if (nonce == null || !constantTimeEquals(nonce, expectedNonce)) {
            throw new OidcRejected(Reason.NONCE_MISMATCH, "ID token nonce is not this sign-in's");
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw new OidcRejected(Reason.MISSING_SUBJECT, "ID token has no sub");
        }
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
