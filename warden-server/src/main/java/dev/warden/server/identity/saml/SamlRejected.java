package dev.warden.server.identity.saml;

import static java.util.Objects.requireNonNull;

/**
 * A SAML response that Warden refuses. {@link #reason()} is for the audit log, {@link #getMessage()} is
 * short and safe to show to the person signing in, {@link #detail()} says which value failed (for the
 * audit log only: it may quote values from the refused document, bounded and stripped of control
 * characters, and never quotes key material).
 */
public final class SamlRejected extends Exception {
    /** Why a response was refused. Each constant is one rule of {@link SamlResponseValidator}. */
    public enum Reason {
        /** More than {@link SamlResponseValidator#MAX_DECODED_BYTES} bytes. */
        TOO_LARGE("The sign-in response is too large."),
        /** Not base64, not well-formed XML, not a SAML 2.0 Response, or a required element missing or repeated. */
        MALFORMED("The sign-in response is not a valid SAML response."),
        /** The document has a DOCTYPE: DTDs and entities are never accepted. */
        DTD_FORBIDDEN("The sign-in response is not a valid SAML response."),
        /** The Response's top-level status is not Success. */
        STATUS_NOT_SUCCESS("The identity provider did not sign you in."),
        /** An EncryptedAssertion (or EncryptedID): not supported; the IdP must send a signed, unencrypted assertion. */
        ENCRYPTED_ASSERTION("Encrypted SAML assertions are not supported; ask your administrator to turn off assertion encryption."),
        /** Zero or several Assertion elements anywhere in the document. */
        ASSERTION_COUNT("The sign-in response must contain exactly one assertion."),
        /** Two elements carry the same ID. */
        DUPLICATE_ID("The sign-in response is not a valid SAML response."),
        /** A Response, Assertion or Signature element where the profile does not put one (signature wrapping). */
        UNEXPECTED_STRUCTURE("The sign-in response is not a valid SAML response."),
        /** Neither the Assertion nor the Response that contains it carries a signature. */
        UNSIGNED("The sign-in response is not signed."),
        /** Not exactly one Reference, or its URI is not '#' + the ID of the element that contains the signature. */
        BAD_REFERENCE("The sign-in response's signature is not acceptable."),
        /** A transform other than enveloped-signature and exclusive canonicalization. */
        FORBIDDEN_TRANSFORM("The sign-in response's signature is not acceptable."),
        /** A signature, digest or canonicalization algorithm that is not on the allow-list (SHA-1, HMAC, ...). */
        ALGORITHM_NOT_ALLOWED("The sign-in response's signature uses an algorithm that is not allowed."),
        /** No configured IdP certificate verifies the signature, or the signed content was altered. */
        SIGNATURE_INVALID("The sign-in response's signature is not valid."),
        WRONG_ISSUER("The sign-in response comes from an unexpected identity provider."),
        WRONG_DESTINATION("The sign-in response was sent to another address."),
        WRONG_AUDIENCE("The sign-in response is meant for another service."),
        WRONG_RECIPIENT("The sign-in response was sent to another address."),
        /** No bearer SubjectConfirmation, or one without the required data. */
        SUBJECT_CONFIRMATION("The sign-in response is not a valid SAML response."),
        NOT_YET_VALID("The sign-in response is not valid yet; check the clocks."),
        EXPIRED("The sign-in response has expired; sign in again."),
        /** No InResponseTo in the signed data, and the org does not allow IdP-initiated sign-in. */
        UNSOLICITED("Sign-in must start from Warden; sign in again."),
        /** InResponseTo names no outstanding request of this org (unknown, already used, or another org's). */
        UNKNOWN_REQUEST("The sign-in response does not match a sign-in in progress; sign in again."),
        /** The assertion id was accepted before. */
        REPLAY("The sign-in response was already used; sign in again."),
        /** None of the org's required AuthnContextClassRef values. */
        MFA_REQUIRED("Your organization requires multi-factor authentication, and the identity provider reports a sign-in without it. Sign in again with multi-factor authentication."),
        /** A NameID, AttributeValue or AuthnContextClassRef holding anything but text (a comment, an element, ...). */
        UNEXPECTED_CONTENT("The sign-in response is not a valid SAML response.");

        private final String publicMessage;

        Reason(String publicMessage) {
            this.publicMessage = publicMessage;
        }

        public String publicMessage() {
            return publicMessage;
        }
    }

    private static final int MAX_DETAIL = 300;

    private final Reason reason;
    private final String detail;

    public SamlRejected(Reason reason, String detail) {
        super(requireNonNull(reason, "reason is null").publicMessage());
        this.reason = reason;
        this.detail = sanitize(requireNonNull(detail, "detail is null"));
    }

    public SamlRejected(Reason reason, String detail, Throwable cause) {
        this(reason, detail);
        initCause(cause);
    }

    public Reason reason() {
        return reason;
    }

    /** For the audit log: which rule failed and on what. Never shown to the person signing in. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return "SamlRejected[" + reason + ": " + detail + "]";
    }

    private static String sanitize(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_DETAIL));
        for (int i = 0; i < s.length() && out.length() < MAX_DETAIL; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > MAX_DETAIL ? out + "..." : out.toString();
    }
}
