package dev.warden.server.identity.saml;

import static dev.warden.server.identity.saml.SamlXml.DS;
import static dev.warden.server.identity.saml.SamlXml.SAML;
import static dev.warden.server.identity.saml.SamlXml.SAMLP;
import static dev.warden.server.identity.saml.SamlXml.XSI;
import static dev.warden.server.identity.saml.SamlXml.attribute;
import static dev.warden.server.identity.saml.SamlXml.children;
import static dev.warden.server.identity.saml.SamlXml.everywhere;
import static dev.warden.server.identity.saml.SamlXml.is;
import static dev.warden.server.identity.saml.SamlXml.optionalChild;
import static dev.warden.server.identity.saml.SamlXml.requiredChild;
import static dev.warden.server.identity.saml.SamlXml.wholeText;
import static java.util.Objects.requireNonNull;

import dev.warden.server.identity.saml.SamlRejected.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Validates a SAML 2.0 Response received by HTTP-POST at the org's ACS and returns who signed in, or
 * refuses it with a {@link SamlRejected.Reason}. Stateless and thread-safe; the only state it touches is
 * the two stores it is given.
 *
 * <p>The order is fixed and each step only trusts what the previous ones established:
 * <ol>
 *   <li>size (at most {@value #MAX_DECODED_BYTES} bytes decoded) and base64, then hardened parsing
 *       ({@link SamlXml}): a DOCTYPE, hence any DTD or entity, is refused before anything is read;
 *   <li>shape: the root is a SAML 2.0 Response with status Success; no EncryptedAssertion or EncryptedID
 *       (not supported); no two elements share an ID; the document holds exactly one Response (the root)
 *       and exactly one Assertion, a direct child of it; a Signature may only be a direct child of those two;
 *   <li>signature ({@link SignatureVerifier}): only the Response's and the Assertion's ID attributes are
 *       registered as IDs; each Signature present must verify, and must sign the element that contains it;
 *       at least one of them must be there. A Response signature covers the assertion because the
 *       assertion was established to be its direct child. Every value used below is read from those same
 *       DOM nodes;
 *   <li>Issuer (Response's when present, Assertion's always), Destination (when present, and required on
 *       a signed Response), Conditions (time window with the org's skew, every AudienceRestriction naming
 *       this SP, no unknown condition), a bearer SubjectConfirmation with Recipient = ACS URL and a future
 *       NotOnOrAfter, the AuthnStatement, the MFA policy, and the NameID and mapped attribute values read
 *       whole ({@link SamlXml#wholeText});
 *   <li>last, the two state changes: the request id is consumed in the {@link RequestIdStore} for this
 *       org, then the assertion id is recorded in the {@link ReplayCache}. Nothing is consumed for a
 *       response that fails any earlier rule, so a forged response cannot burn a legitimate sign-in.
 * </ol>
 *
 * <p>InResponseTo is taken from signed data only: the bearer SubjectConfirmationData's (signed with the
 * assertion), or the Response's when the Response is signed. A Response's InResponseTo that is not signed
 * does not make an unsolicited assertion solicited; when both are present they must agree.
 *
 * <p>The caller passes the value of the {@code SAMLResponse} form field as received (already URL-decoded
 * by the servlet container); line breaks in the base64 are tolerated.
 */
public final class SamlResponseValidator {
    /** Largest accepted decoded response; a real one with a few dozen attributes is a few KiB. */
    public static final int MAX_DECODED_BYTES = 256 * 1024;
    /** Largest accepted encoded response: base64 of the above plus room for line breaks. */
    static final int MAX_ENCODED_CHARS = (MAX_DECODED_BYTES + 2) / 3 * 4 + 8 * 1024;

    static final String STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
    static final String BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    public static final String EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    private static final Set<String> ID_ATTRIBUTE_NAMES = Set.of("ID", "Id", "AssertionID");
    private static final Set<String> KNOWN_CONDITIONS = Set.of("AudienceRestriction", "OneTimeUse", "ProxyRestriction");

    public SamlResponseValidator() {}

    public SamlIdentity validate(String base64Response, SamlSettings settings, Instant now, RequestIdStore requests,
            ReplayCache replay) throws SamlRejected {
        requireNonNull(settings, "settings is null");
        requireNonNull(now, "now is null");
        requireNonNull(requests, "requests is null");
        requireNonNull(replay, "replay is null");
        Duration skew = settings.clockSkew();

        // 1. Bytes and parsing.
        Document document = SamlXml.parse(decode(base64Response));

        // 2. Shape.
        Element response = document.getDocumentElement();
        if (!is(response, SAMLP, "Response") || !"2.0".equals(attribute(response, "Version").orElse(""))) {
            throw new SamlRejected(Reason.MALFORMED, "root is not a SAML 2.0 Response");
        }
        if (!everywhere(document, SAML, "EncryptedAssertion").isEmpty() || !everywhere(document, SAML, "EncryptedID").isEmpty()) {
            throw new SamlRejected(Reason.ENCRYPTED_ASSERTION, "encrypted assertion or NameID (not supported)");
        }
        Element statusCode = requiredChild(requiredChild(response, SAMLP, "Status"), SAMLP, "StatusCode");
        String status = attribute(statusCode, "Value").orElse("");
        if (!STATUS_SUCCESS.equals(status)) {
            throw new SamlRejected(Reason.STATUS_NOT_SUCCESS, "status " + status);
        }
        requireUniqueIds(document);
        if (everywhere(document, SAMLP, "Response").size() != 1) {
            throw new SamlRejected(Reason.UNEXPECTED_STRUCTURE, "a Response inside the Response");
        }
        List<Element> assertions = everywhere(document, SAML, "Assertion");
        if (assertions.size() != 1) {
            throw new SamlRejected(Reason.ASSERTION_COUNT, assertions.size() + " assertions");
        }
        Element assertion = assertions.get(0);
        if (assertion.getParentNode() != response) {
            throw new SamlRejected(Reason.UNEXPECTED_STRUCTURE,
                    "the assertion is inside " + assertion.getParentNode().getNodeName() + ", not the Response");
        }
        String responseId = requireId(response);
        String assertionId = requireId(assertion);
        // The only two ID attributes Santuario can resolve a reference to.
        response.setIdAttributeNS(null, "ID", true);
        assertion.setIdAttributeNS(null, "ID", true);

        // 3. Signatures.
        Element responseSignature = null;
        Element assertionSignature = null;
        for (Element signature : everywhere(document, DS, "Signature")) {
            Node parent = signature.getParentNode();
            if (parent == response && responseSignature == null) {
                responseSignature = signature;
            } else if (parent == assertion && assertionSignature == null) {
                assertionSignature = signature;
            } else {
                throw new SamlRejected(Reason.UNEXPECTED_STRUCTURE, "a Signature inside " + parent.getNodeName()
                        + (parent == response || parent == assertion ? " that already has one" : ""));
            }
        }
        if (responseSignature == null && assertionSignature == null) {
            throw new SamlRejected(Reason.UNSIGNED, "neither the Response nor the Assertion is signed");
        }
        if (assertionSignature != null) {
            SignatureVerifier.verify(assertionSignature, assertion, settings.idpCertificates());
        }
        boolean responseSigned = responseSignature != null;
        if (responseSigned) {
            SignatureVerifier.verify(responseSignature, response, settings.idpCertificates());
        }

        // 4. Content, all read from the verified nodes.
        Optional<Element> responseIssuer = optionalChild(response, SAML, "Issuer");
        if (responseIssuer.isPresent()) {
            requireIssuer(wholeText(responseIssuer.get()), settings, "Response");
        }
        requireIssuer(wholeText(requiredChild(assertion, SAML, "Issuer")), settings, "Assertion");

        Optional<String> destination = attribute(response, "Destination");
        if (destination.isPresent() ? !destination.get().equals(settings.acsUrl().toString()) : responseSigned) {
            throw new SamlRejected(Reason.WRONG_DESTINATION, "Destination " + destination.orElse("(missing on a signed Response)"));
        }
        if (!"2.0".equals(attribute(assertion, "Version").orElse(""))) {
            throw new SamlRejected(Reason.MALFORMED, "assertion is not SAML 2.0");
        }
        Instant issued = instant(assertion, "IssueInstant").orElseThrow(
                () -> new SamlRejected(Reason.MALFORMED, "assertion has no IssueInstant"));
        if (issued.isAfter(now.plus(skew))) {
            throw new SamlRejected(Reason.NOT_YET_VALID, "assertion issued in the future: " + issued);
        }

        Element subject = requiredChild(assertion, SAML, "Subject");
        Element nameIdElement = requiredChild(subject, SAML, "NameID");
        String nameId = wholeText(nameIdElement);
        if (nameId.isEmpty()) {
            throw new SamlRejected(Reason.MALFORMED, "empty NameID");
        }
        Optional<String> nameIdFormat = attribute(nameIdElement, "Format");
        Confirmation confirmation = bearerConfirmation(subject, settings, now);

        Element conditions = requiredChild(assertion, SAML, "Conditions");
        Optional<Instant> conditionsNotOnOrAfter = instant(conditions, "NotOnOrAfter");
        checkWindow(instant(conditions, "NotBefore"), conditionsNotOnOrAfter, now, skew, "Conditions");
        checkConditions(conditions, settings);

        Element authnStatement = requiredChild(assertion, SAML, "AuthnStatement");
        Optional<Instant> sessionNotOnOrAfter = instant(authnStatement, "SessionNotOnOrAfter");
        checkWindow(Optional.empty(), sessionNotOnOrAfter, now, skew, "AuthnStatement session");
        Optional<String> sessionIndex = attribute(authnStatement, "SessionIndex");
        Optional<String> classRef = Optional.empty();
        Optional<Element> authnContext = optionalChild(authnStatement, SAML, "AuthnContext");
        if (authnContext.isPresent()) {
            Optional<Element> classRefElement = optionalChild(authnContext.get(), SAML, "AuthnContextClassRef");
            if (classRefElement.isPresent()) {
                classRef = Optional.of(wholeText(classRefElement.get()));
            }
        }
        Set<String> required = settings.requiredAuthnContextClassRefs();
        if (!required.isEmpty() && (classRef.isEmpty() || !required.contains(classRef.get()))) {
            throw new SamlRejected(Reason.MFA_REQUIRED,
                    "AuthnContextClassRef " + classRef.orElse("(none)") + " is not one of " + required);
        }

        Map<String, List<String>> attributes = attributes(assertion, settings.attributeMapping());
        Optional<String> email = EMAIL_FORMAT.equals(nameIdFormat.orElse(""))
                ? Optional.of(nameId)
                : Optional.ofNullable(attributes.get("email")).filter(v -> v.size() == 1).map(v -> v.get(0));

        // 5. Which request this answers, then replay: the only state changes, after every other rule.
        Optional<String> responseInResponseTo = attribute(response, "InResponseTo");
        Optional<String> requestId = confirmation.inResponseTo().isPresent()
                ? confirmation.inResponseTo()
                : responseSigned ? responseInResponseTo : Optional.empty();
        if (requestId.isPresent() && responseInResponseTo.isPresent() && !requestId.equals(responseInResponseTo)) {
            throw new SamlRejected(Reason.UNKNOWN_REQUEST, "Response and SubjectConfirmationData disagree on InResponseTo");
        }
        if (requestId.isEmpty()) {
            if (!settings.allowUnsolicited()) {
                throw new SamlRejected(Reason.UNSOLICITED, "no signed InResponseTo and unsolicited responses are off");
            }
        } else if (!requests.consume(settings.org(), requestId.get(), now)) {
            throw new SamlRejected(Reason.UNKNOWN_REQUEST, "InResponseTo " + requestId.get() + " is not a pending request of this org");
        }
        Instant expiresAt = conditionsNotOnOrAfter
                .filter(c -> c.isBefore(confirmation.notOnOrAfter()))
                .orElse(confirmation.notOnOrAfter());
        if (!replay.firstSeen(assertionId, expiresAt.plus(skew))) {
            throw new SamlRejected(Reason.REPLAY, "assertion " + assertionId + " was already used");
        }
        return new SamlIdentity(nameId, nameIdFormat, email, attributes, classRef, sessionIndex, sessionNotOnOrAfter,
                assertionId, expiresAt);
    }

    private static byte[] decode(String base64) throws SamlRejected {
        if (base64 == null || base64.isEmpty()) {
            throw new SamlRejected(Reason.MALFORMED, "empty response");
        }
        if (base64.length() > MAX_ENCODED_CHARS) {
            throw new SamlRejected(Reason.TOO_LARGE, base64.length() + " characters");
        }
        StringBuilder compact = new StringBuilder(base64.length());
        for (int i = 0; i < base64.length(); i++) {
            char c = base64.charAt(i);
            if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
                compact.append(c);
            }
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(compact.toString());
        } catch (IllegalArgumentException e) {
            throw new SamlRejected(Reason.MALFORMED, "not base64", e);
        }
        if (bytes.length > MAX_DECODED_BYTES) {
            throw new SamlRejected(Reason.TOO_LARGE, bytes.length + " bytes");
        }
        return bytes;
    }

    private static void requireUniqueIds(Document document) throws SamlRejected {
        Set<String> seen = new HashSet<>();
        NodeList all = document.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element element = (Element) all.item(i);
            for (String name : ID_ATTRIBUTE_NAMES) {
                Optional<String> id = attribute(element, name);
                if (id.isPresent() && !seen.add(id.get())) {
                    throw new SamlRejected(Reason.DUPLICATE_ID, "ID " + id.get() + " appears twice");
                }
            }
        }
    }

    private static String requireId(Element element) throws SamlRejected {
        String id = attribute(element, "ID").orElse("");
        if (id.isBlank()) {
            throw new SamlRejected(Reason.MALFORMED, element.getLocalName() + " has no ID");
        }
        return id;
    }

    private static void requireIssuer(String issuer, SamlSettings settings, String where) throws SamlRejected {
        if (!issuer.equals(settings.idpEntityId())) {
            throw new SamlRejected(Reason.WRONG_ISSUER, where + " Issuer " + issuer);
        }
    }

    private record Confirmation(Optional<String> inResponseTo, Instant notOnOrAfter) {}

    /** The first bearer SubjectConfirmation that passes; if none does, the first one's failure. */
    private static Confirmation bearerConfirmation(Element subject, SamlSettings settings, Instant now) throws SamlRejected {
        SamlRejected firstFailure = null;
        for (Element confirmation : children(subject, SAML, "SubjectConfirmation")) {
            if (!BEARER.equals(attribute(confirmation, "Method").orElse(""))) {
                continue;
            }
            try {
                Element data = optionalChild(confirmation, SAML, "SubjectConfirmationData").orElseThrow(
                        () -> new SamlRejected(Reason.SUBJECT_CONFIRMATION, "bearer confirmation without data"));
                String recipient = attribute(data, "Recipient").orElse("");
                if (!recipient.equals(settings.acsUrl().toString())) {
                    throw new SamlRejected(Reason.WRONG_RECIPIENT, "Recipient " + recipient);
                }
                Instant notOnOrAfter = instant(data, "NotOnOrAfter").orElseThrow(
                        () -> new SamlRejected(Reason.SUBJECT_CONFIRMATION, "bearer confirmation without NotOnOrAfter"));
                checkWindow(instant(data, "NotBefore"), Optional.of(notOnOrAfter), now, settings.clockSkew(),
                        "SubjectConfirmationData");
                return new Confirmation(attribute(data, "InResponseTo"), notOnOrAfter);
            } catch (SamlRejected e) {
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        throw firstFailure != null
                ? firstFailure
                : new SamlRejected(Reason.SUBJECT_CONFIRMATION, "no bearer SubjectConfirmation");
    }

    private static void checkWindow(Optional<Instant> notBefore, Optional<Instant> notOnOrAfter, Instant now,
            Duration skew, String what) throws SamlRejected {
        if (notBefore.isPresent() && now.plus(skew).isBefore(notBefore.get())) {
            throw new SamlRejected(Reason.NOT_YET_VALID, what + " NotBefore " + notBefore.get());
        }
        if (notOnOrAfter.isPresent() && !now.minus(skew).isBefore(notOnOrAfter.get())) {
            throw new SamlRejected(Reason.EXPIRED, what + " NotOnOrAfter " + notOnOrAfter.get());
        }
    }

    private static void checkConditions(Element conditions, SamlSettings settings) throws SamlRejected {
        int audienceRestrictions = 0;
        for (Node n = conditions.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element condition)) {
                continue;
            }
            if (!SAML.equals(condition.getNamespaceURI()) || !KNOWN_CONDITIONS.contains(condition.getLocalName())) {
                // SAML core 2.5.1.1: a condition the relying party does not understand makes the assertion invalid.
                throw new SamlRejected(Reason.MALFORMED, "unknown condition " + condition.getNodeName());
            }
            if (condition.getLocalName().equals("AudienceRestriction")) {
                audienceRestrictions++;
                List<String> audiences = new ArrayList<>();
                for (Element audience : children(condition, SAML, "Audience")) {
                    audiences.add(wholeText(audience));
                }
                if (!audiences.contains(settings.spEntityId())) {
                    throw new SamlRejected(Reason.WRONG_AUDIENCE, "audiences " + audiences);
                }
            }
        }
        if (audienceRestrictions == 0) {
            throw new SamlRejected(Reason.WRONG_AUDIENCE, "no AudienceRestriction");
        }
    }

    private static Map<String, List<String>> attributes(Element assertion, Map<String, String> mapping) throws SamlRejected {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Element statement : children(assertion, SAML, "AttributeStatement")) {
            for (Element attribute : children(statement, SAML, "Attribute")) {
                String wardenName = mapping.get(attribute(attribute, "Name").orElse(""));
                if (wardenName == null) {
                    continue; // not mapped: not read
                }
                List<String> values = out.computeIfAbsent(wardenName, k -> new ArrayList<>());
                for (Element value : children(attribute, SAML, "AttributeValue")) {
                    if (!"true".equals(value.getAttributeNS(XSI, "nil"))) {
                        values.add(wholeText(value));
                    }
                }
            }
        }
        return out;
    }

    private static Optional<Instant> instant(Element element, String name) throws SamlRejected {
        Optional<String> value = attribute(element, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.get()).toInstant());
        } catch (DateTimeParseException e) {
            throw new SamlRejected(Reason.MALFORMED, name + " is not a dateTime", e);
        }
    }
}
