package dev.warden.server.identity.oidc;

import java.util.Objects;

/**
 * An OIDC sign-in that did not succeed. {@link #reason()} is for the audit log,
 * {@link #publicMessage()} is what the person may be shown, and {@link #getMessage()} adds a
 * short detail in Warden's own words. None of them ever carries the client secret, the
 * authorization code, the tokens or any text from the identity provider's responses.
 */
public final class OidcRejected extends RuntimeException {
    /** Why a sign-in was refused; stable names, recorded in the audit log. */
    public enum Reason {
        /** The pending sign-in belongs to another org, or the callback came to another redirect URI. */
        SIGN_IN_MISMATCH("This sign-in does not belong here. Please start again."),
        /** The callback's state is not the one this sign-in was started with. */
        STATE_MISMATCH("This sign-in could not be verified. Please start again."),
        /** The sign-in was started too long ago. */
        SIGN_IN_EXPIRED("This sign-in took too long. Please start again."),
        /** No authorization code in the callback. */
        INVALID_CALLBACK("The identity provider's answer was incomplete. Please start again."),
        /** The provider's discovery document is not acceptable (issuer differs, endpoints missing or insecure). */
        DISCOVERY_REJECTED("Your organization's sign-in is misconfigured. Please contact your administrator."),
        /** The provider could not be reached, timed out, or answered with a server error. */
        IDP_UNAVAILABLE("Your identity provider could not be reached. Please try again later."),
        /** The token endpoint refused the code or answered something unusable. */
        TOKEN_EXCHANGE_FAILED("The identity provider did not complete the sign-in. Please start again."),
        /** The ID token is not a well-formed signed JWT. */
        MALFORMED_TOKEN("The identity provider's answer could not be verified."),
        /** {@code none}, HMAC or any algorithm outside the org's allow-list. */
        ALGORITHM_NOT_ALLOWED("The identity provider's answer could not be verified."),
        /** A {@code jku}, {@code x5u}, {@code jwk}, {@code x5c} or {@code crit} header, or a {@code typ} other than JWT. */
        FORBIDDEN_HEADER("The identity provider's answer could not be verified."),
        /** No key of the provider's JWKS matches the token, even after a refresh. */
        UNKNOWN_KEY("The identity provider's answer could not be verified."),
        BAD_SIGNATURE("The identity provider's answer could not be verified."),
        WRONG_ISSUER("The identity provider's answer could not be verified."),
        /** {@code aud} lacks the client id, or {@code azp} is missing (several audiences) or another client's. */
        WRONG_AUDIENCE("The identity provider's answer could not be verified."),
        EXPIRED("The sign-in has expired. Please start again."),
        NOT_YET_VALID("The identity provider's answer is not valid yet. Please check your clock and try again."),
        /** {@code iat} further in the future than the clock skew allows, or missing. */
        ISSUED_IN_FUTURE("The identity provider's answer could not be verified."),
        NONCE_MISMATCH("This sign-in could not be verified. Please start again."),
        /** No {@code sub}. */
        MISSING_SUBJECT("The identity provider's answer was incomplete."),
        /** No usable {@code email} claim. */
        EMAIL_MISSING("Your identity provider did not share an email address for your account."),
        /** {@code email_verified} is absent or not {@code true}. */
        EMAIL_NOT_VERIFIED("Your email address is not verified by your identity provider."),
        /** The email's domain is not among the org's allowed domains. */
        DOMAIN_NOT_ALLOWED("Your email address's domain is not allowed for this organization."),
        /** The org requires MFA and the token shows none of the required acr/amr values. */
        MFA_REQUIRED("Your organization requires multi-factor authentication.");

        private final String defaultMessage;

        Reason(String defaultMessage) {
            this.defaultMessage = defaultMessage;
        }

        public String defaultMessage() {
            return defaultMessage;
        }
    }

    private final Reason reason;
    private final String publicMessage;

    OidcRejected(Reason reason, String detail) {
        this(reason, reason.defaultMessage(), detail, null);
    }

    OidcRejected(Reason reason, String publicMessage, String detail) {
        this(reason, publicMessage, detail, null);
    }

    /** {@code cause} only for Warden's own transport failures (timeouts, refused connections), never for parse errors that quote a response. */
    OidcRejected(Reason reason, String publicMessage, String detail, Throwable cause) {
        super(reason.name() + ": " + Objects.requireNonNull(detail, "detail is null"), cause, false, true);
        this.reason = Objects.requireNonNull(reason, "reason is null");
        this.publicMessage = Objects.requireNonNull(publicMessage, "public message is null");
    }

    public Reason reason() {
        return reason;
    }

    /** Short, safe to show to the person signing in. */
    public String publicMessage() {
        return publicMessage;
    }
}
