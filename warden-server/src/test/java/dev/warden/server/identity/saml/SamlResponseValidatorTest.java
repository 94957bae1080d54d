package dev.warden.server.identity.saml;

import static dev.warden.server.identity.saml.TestIdp.ACS;
import static dev.warden.server.identity.saml.TestIdp.DS;
import static dev.warden.server.identity.saml.TestIdp.MFA_CLASS;
import static dev.warden.server.identity.saml.TestIdp.NOW;
import static dev.warden.server.identity.saml.TestIdp.REQUEST_ID;
import static dev.warden.server.identity.saml.TestIdp.SAML;
import static dev.warden.server.identity.saml.TestIdp.SAMLP;
import static dev.warden.server.identity.saml.TestIdp.assertion;
import static dev.warden.server.identity.saml.TestIdp.encode;
import static dev.warden.server.identity.saml.TestIdp.first;
import static dev.warden.server.identity.saml.TestIdp.response;
import static dev.warden.server.identity.saml.TestIdp.sign;
import static dev.warden.server.identity.saml.TestIdp.signedAssertion;
import static dev.warden.server.identity.saml.TestIdp.signedResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.server.access.OrgId;
import dev.warden.server.identity.saml.SamlRejected.Reason;
import dev.warden.server.identity.saml.TestIdp.Spec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.xml.security.algorithms.MessageDigestAlgorithm;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.transforms.params.XPathContainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The response rules of {@link SamlResponseValidator}, each with a response that tries to break it. */
class SamlResponseValidatorTest {
    static final OrgId ACME = new OrgId(java.util.UUID.fromString("00000000-0000-0000-0000-00000000ac3e"));
    static final OrgId GLOBEX = new OrgId(java.util.UUID.fromString("00000000-0000-0000-0000-0000000910be"));

    final SamlResponseValidator validator = new SamlResponseValidator();
    InMemoryRequestIdStore requests;
    InMemoryReplayCache replay;
    SamlSettings settings;

    @BeforeEach
    void setUp() {
        requests = new InMemoryRequestIdStore();
        requests.remember(ACME, REQUEST_ID, NOW.plusSeconds(600));
        replay = new InMemoryReplayCache();
        settings = TestIdp.settings(ACME).build();
    }

    SamlIdentity validate(String encoded) throws SamlRejected {
        return validator.validate(encoded, settings, NOW, requests, replay);
    }

    void assertRejected(String encoded, Reason reason) {
        assertThatThrownBy(() -> validate(encoded))
                .isInstanceOf(SamlRejected.class)
                .satisfies(e -> assertThat(((SamlRejected) e).reason()).as(e.toString()).isEqualTo(reason));
    }

    void assertRejected(Document doc, Reason reason) {
        assertRejected(encode(doc), reason);
    }

    // ---- accepted -------------------------------------------------------------------------------

    @Test
    void aValidResponseWithASignedAssertionIsAccepted() throws SamlRejected {
        Spec spec = new Spec();
        SamlIdentity identity = validate(encode(signedAssertion(spec)));

        assertThat(identity.nameId()).isEqualTo("alice@acme.test");
        assertThat(identity.email()).contains("alice@acme.test");
        assertThat(identity.attributes()).containsOnlyKeys("groups", "department");
        assertThat(identity.attributes().get("groups")).containsExactly("analysts", "finance");
        assertThat(identity.attributes().get("department")).containsExactly("Finance & Control");
        assertThat(identity.authnContextClassRef()).contains(TestIdp.PASSWORD_CLASS);
        assertThat(identity.sessionIndex()).contains("_session-1");
        assertThat(identity.assertionId()).isEqualTo(spec.assertionId);
        assertThat(identity.expiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(requests.isPending(REQUEST_ID)).as("the request id is used up").isFalse();
    }

    @Test
    void aValidResponseSignedAsAWholeIsAccepted() throws SamlRejected {
        assertThat(validate(encode(signedResponse(new Spec()))).nameId()).isEqualTo("alice@acme.test");
    }

    @Test
    void aResponseWithBothSignaturesIsAccepted() throws SamlRejected {
        Document doc = TestIdp.document(new Spec());
        sign(assertion(doc), TestKeys.IDP);
        sign(response(doc), TestKeys.IDP);
        assertThat(validate(encode(doc)).nameId()).isEqualTo("alice@acme.test");
    }

    @Test
    void duringARolloverEitherConfiguredCertificateVerifies() throws SamlRejected {
        settings = TestIdp.settings(ACME).idpCertificate(TestKeys.IDP_NEXT.certificate()).build();
        Document doc = TestIdp.document(new Spec());
        sign(assertion(doc), TestKeys.IDP_NEXT);
        assertThat(validate(encode(doc)).nameId()).isEqualTo("alice@acme.test");
    }

    @Test
    void anEcdsaSha256SignatureFromAConfiguredKeyIsAccepted() throws SamlRejected {
        settings = SamlSettings.builder(ACME).idp(TestIdp.IDP_ENTITY, TestIdp.IDP_SSO)
                .idpCertificate(TestKeys.IDP_EC.certificate()).sp(TestIdp.SP_ENTITY, ACS).build();
        Document doc = TestIdp.document(new Spec());
        sign(assertion(doc), TestKeys.IDP_EC, XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256,
                MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256, "#" + assertion(doc).getAttribute("ID"));
        assertThat(validate(encode(doc)).nameId()).isEqualTo("alice@acme.test");
    }

    @Test
    void base64WithLineBreaksIsAccepted() throws SamlRejected {
        String encoded = encode(signedAssertion(new Spec())).replaceAll("(.{76})", "$1\r\n");
        assertThat(validate(encoded).nameId()).isEqualTo("alice@acme.test");
    }

    @Test
    void timesWithinTheSkewAreAccepted() throws SamlRejected {
        Spec spec = new Spec();
        spec.notBefore = NOW.plusSeconds(100); // IdP clock 100 s ahead
        spec.issueInstant = NOW.plusSeconds(100);
        assertThat(validate(encode(signedAssertion(spec))).nameId()).isEqualTo("alice@acme.test");

        setUp();
        Spec late = new Spec();
        late.notOnOrAfter = NOW.minusSeconds(100); // arrived 100 s after, within 2 min
        late.confirmationNotOnOrAfter = NOW.minusSeconds(100);
        assertThat(validate(encode(signedAssertion(late))).nameId()).isEqualTo("alice@acme.test");
    }

    @Test
    void anUnsolicitedResponseIsAcceptedOnlyWhenTheOrgAllowsIt() throws SamlRejected {
        Spec spec = new Spec();
        spec.inResponseTo = null;
        spec.confirmationInResponseTo = null;
        String encoded = encode(signedAssertion(spec));
        assertRejected(encoded, Reason.UNSOLICITED);

        settings = TestIdp.settings(ACME).allowUnsolicited(true).build();
        assertThat(validate(encoded).nameId()).isEqualTo("alice@acme.test");
    }

    @Test
    void cdataInsideTheNameIdIsReadWhole() throws SamlRejected {
        // CDATA is text: canonicalization keeps the signature valid, and the value is read in one piece.
        Spec spec = new Spec();
        spec.nameId = "user@evil.com.attacker.com";
        Document doc = signedAssertion(spec);
        Element nameId = first(doc, SAML, "NameID");
        nameId.setTextContent("user@evil.com");
        nameId.appendChild(doc.createCDATASection(".attacker.com"));
        assertThat(validate(encode(doc)).nameId()).isEqualTo("user@evil.com.attacker.com");
    }

    // ---- signatures -----------------------------------------------------------------------------

    @Test
    void anUnsignedResponseIsRefused() {
        assertRejected(TestIdp.document(new Spec()), Reason.UNSIGNED);
    }

    @Test
    void aSignatureByAnotherKeyIsRefusedEvenWithItsCertificateInKeyInfo() {
        Document doc = TestIdp.document(new Spec());
        Element signature = sign(assertion(doc), TestKeys.ATTACKER); // KeyInfo carries the attacker's certificate
        assertThat(first(signature, DS, "X509Certificate")).isNotNull();
        assertRejected(doc, Reason.SIGNATURE_INVALID);
    }

    @Test
    void aResponseSignatureByAnotherKeyIsRefused() {
        Document doc = TestIdp.document(new Spec());
        sign(response(doc), TestKeys.ATTACKER);
        assertRejected(doc, Reason.SIGNATURE_INVALID);
    }

    @Test
    void aValidAssertionSignatureDoesNotExcuseAnInvalidResponseSignature() {
        Document doc = TestIdp.document(new Spec());
        sign(assertion(doc), TestKeys.IDP);
        sign(response(doc), TestKeys.ATTACKER);
        assertRejected(doc, Reason.SIGNATURE_INVALID);
    }

    @Test
    void aSignedAssertionWhoseContentWasChangedIsRefused() {
        Document doc = signedAssertion(new Spec());
        first(doc, SAML, "NameID").setTextContent("admin@acme.test");
        assertRejected(doc, Reason.SIGNATURE_INVALID);
    }

    @Test
    void aSignedResponseWhoseAssertionWasSwappedIsRefused() {
        Document doc = signedResponse(new Spec());
        Spec other = new Spec();
        other.nameId = "admin@acme.test";
        Document otherDoc = signedAssertion(other); // itself validly signed by the IdP
        Element swapped = (Element) doc.importNode(assertion(otherDoc), true);
        response(doc).replaceChild(swapped, assertion(doc));
        assertRejected(doc, Reason.SIGNATURE_INVALID);
    }

    @Test
    void anRsaSha1SignatureIsRefused() {
        Document doc = TestIdp.document(new Spec());
        Element signature = sign(assertion(doc), TestKeys.IDP, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1,
                MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256, "#" + assertion(doc).getAttribute("ID"));
        assertThat(TestIdp.naivelyVerifies(signature)).isTrue();
        assertRejected(doc, Reason.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void aSha1DigestIsRefused() {
        Document doc = TestIdp.document(new Spec());
        Element signature = sign(assertion(doc), TestKeys.IDP, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
                MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA1, "#" + assertion(doc).getAttribute("ID"));
        assertThat(TestIdp.naivelyVerifies(signature)).isTrue();
        assertRejected(doc, Reason.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void anHmacSignatureKeyedWithTheIdpsPublicKeyIsRefused() {
        // Key confusion: the public certificate is public, so an HMAC over it proves nothing.
        Document doc = TestIdp.document(new Spec());
        sign(assertion(doc), TestKeys.IDP, XMLSignature.ALGO_ID_MAC_HMAC_SHA256, MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256,
                "#" + assertion(doc).getAttribute("ID"));
        assertRejected(doc, Reason.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void aReferenceWithAnXPathTransformIsRefused() {
        Document doc = TestIdp.document(new Spec());
        sign(assertion(doc), TestKeys.IDP, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256, MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256,
                (d, transforms) -> {
                    // A valid signature over only part of the assertion: everything but the NameID.
                    XPathContainer xpath = new XPathContainer(d);
                    xpath.setXPathNamespaceContext("saml", SAML);
                    xpath.setXPath("not(ancestor-or-self::saml:NameID)");
                    transforms.addTransform(Transforms.TRANSFORM_XPATH, xpath.getElementPlusReturns());
                }, "#" + assertion(doc).getAttribute("ID"));
        first(doc, SAML, "NameID").setTextContent("admin@acme.test"); // outside what the signature covers
        assertThat(TestIdp.naivelyVerifies(first(doc, DS, "Signature"))).isTrue();
        assertRejected(doc, Reason.FORBIDDEN_TRANSFORM);
    }

    @Test
    void aReferenceWithAnXsltTransformIsRefused() {
        // Added after signing (Santuario signs with XSLT only when Xalan is present): the rule must hold
        // before any cryptography, since an XSLT transform runs attacker-supplied code while digesting.
        Document doc = signedAssertion(new Spec());
        Element transforms = first(doc, DS, "Transforms");
        Element xslt = doc.createElementNS(DS, "ds:Transform");
        xslt.setAttribute("Algorithm", Transforms.TRANSFORM_XSLT);
        transforms.appendChild(xslt);
        assertRejected(doc, Reason.FORBIDDEN_TRANSFORM);
    }

    @Test
    void aSignatureWithTwoReferencesIsRefused() {
        Document doc = TestIdp.document(new Spec());
        String id = "#" + assertion(doc).getAttribute("ID");
        sign(assertion(doc), TestKeys.IDP, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256, MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256,
                id, "#" + response(doc).getAttribute("ID"));
        assertRejected(doc, Reason.BAD_REFERENCE);
    }

    @Test
    void anAssertionSignatureMovedToTheResponseIsRefused() {
        // The signature still verifies by ID, but it is not the Response's own signature.
        Document doc = signedAssertion(new Spec());
        Element signature = first(assertion(doc), DS, "Signature");
        response(doc).insertBefore(signature, first(doc, SAMLP, "Status"));
        assertRejected(doc, Reason.BAD_REFERENCE);
    }

    @Test
    void aResponseSignatureMovedIntoTheAssertionIsRefused() {
        Document doc = signedResponse(new Spec());
        Element signature = first(response(doc), DS, "Signature");
        assertion(doc).insertBefore(signature, first(assertion(doc), SAML, "Subject"));
        // Inside the Assertion it is the Assertion's signature, and it does not name the Assertion.
        assertRejected(doc, Reason.BAD_REFERENCE);
    }

    @Test
    void aSignatureOutsideTheResponseAndAssertionIsRefused() {
        Document doc = signedAssertion(new Spec());
        Element signature = first(assertion(doc), DS, "Signature");
        Element extensions = doc.createElementNS(SAMLP, "samlp:Extensions");
        response(doc).insertBefore(extensions, first(doc, SAMLP, "Status"));
        extensions.appendChild(signature);
        assertRejected(doc, Reason.UNEXPECTED_STRUCTURE);
    }

    // ---- shape ----------------------------------------------------------------------------------

    @Test
    void twoAssertionsAreRefusedEvenWhenBothAreSigned() {
        Document doc = signedAssertion(new Spec());
        Spec other = new Spec();
        other.nameId = "admin@acme.test";
        Element second = (Element) doc.importNode(assertion(signedAssertion(other)), true);
        response(doc).appendChild(second);
        assertRejected(doc, Reason.ASSERTION_COUNT);
    }

    @Test
    void aResponseWithoutAssertionIsRefused() {
        Spec spec = new Spec();
        spec.withAssertion = false;
        assertRejected(signedResponse(spec), Reason.ASSERTION_COUNT);
    }

    @Test
    void anEncryptedAssertionIsRefusedAsUnsupported() {
        Spec spec = new Spec();
        spec.withAssertion = false;
        Document doc = TestIdp.document(spec);
        Element encrypted = doc.createElementNS(SAML, "saml:EncryptedAssertion");
        Element data = doc.createElementNS("http://www.w3.org/2001/04/xmlenc#", "xenc:EncryptedData");
        encrypted.appendChild(data);
        response(doc).appendChild(encrypted);
        sign(response(doc), TestKeys.IDP);
        assertRejected(doc, Reason.ENCRYPTED_ASSERTION);
        assertThat(Reason.ENCRYPTED_ASSERTION.publicMessage()).contains("not supported");
    }

    @Test
    void aStatusOtherThanSuccessIsRefused() {
        Spec spec = new Spec();
        spec.status = "urn:oasis:names:tc:SAML:2.0:status:Responder";
        assertRejected(signedResponse(spec), Reason.STATUS_NOT_SUCCESS);
    }

    @Test
    void notASamlResponseIsRefused() {
        assertRejected(encode("<html><body>hello</body></html>"), Reason.MALFORMED);
        assertRejected("%%%not-base64%%%", Reason.MALFORMED);
        assertRejected(encode("<samlp:Response xmlns:samlp='" + SAMLP + "'"), Reason.MALFORMED);
    }

    @Test
    void aConditionWeDoNotUnderstandIsRefused() {
        Document doc = TestIdp.document(new Spec());
        Element conditions = first(doc, SAML, "Conditions");
        Element custom = doc.createElementNS("urn:example:conditions", "x:MustBeOnVpn");
        custom.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:x", "urn:example:conditions");
        conditions.appendChild(custom);
        sign(assertion(doc), TestKeys.IDP);
        assertRejected(doc, Reason.MALFORMED);
    }

    // ---- values read whole ----------------------------------------------------------------------

    @Test
    void aCommentInsideTheNameIdIsRefusedRatherThanTruncatingTheValue() {
        // The IdP signed "user@evil.com.attacker.com" (an account the attacker owns). Exclusive c14n drops
        // comments, so the signature survives the comment; a reader of the first text node would get user@evil.com.
        Spec spec = new Spec();
        spec.nameId = "user@evil.com.attacker.com";
        Document doc = signedAssertion(spec);
        Element nameId = first(doc, SAML, "NameID");
        nameId.setTextContent("user@evil.com");
        nameId.appendChild(doc.createComment(""));
        nameId.appendChild(doc.createTextNode(".attacker.com"));
        assertThat(TestIdp.serialize(doc)).contains("user@evil.com<!---->.attacker.com");
        assertThat(TestIdp.naivelyVerifies(first(doc, DS, "Signature"))).isTrue();
        assertRejected(doc, Reason.UNEXPECTED_CONTENT);
    }

    @Test
    void aCommentInsideAnAttributeValueIsRefused() {
        Spec spec = new Spec();
        spec.attributes = new java.util.LinkedHashMap<>(java.util.Map.of("groups", List.of("analysts-readonly")));
        Document doc = signedAssertion(spec);
        Element value = first(doc, SAML, "AttributeValue");
        value.setTextContent("analysts");
        value.appendChild(doc.createComment("x"));
        value.appendChild(doc.createTextNode("-readonly"));
        assertRejected(doc, Reason.UNEXPECTED_CONTENT);
    }

    @Test
    void anElementInsideTheNameIdIsRefused() {
        Document doc = TestIdp.document(new Spec());
        Element nameId = first(doc, SAML, "NameID");
        nameId.appendChild(doc.createElementNS(SAML, "saml:Extra"));
        sign(assertion(doc), TestKeys.IDP);
        assertRejected(doc, Reason.UNEXPECTED_CONTENT);
    }

    // ---- conditions and addressing --------------------------------------------------------------

    @Test
    void aWrongAudienceIsRefused() {
        Spec spec = new Spec();
        spec.audience = "https://warden.test/saml/globex";
        assertRejected(signedAssertion(spec), Reason.WRONG_AUDIENCE);
    }

    @Test
    void aMissingAudienceRestrictionIsRefused() {
        Spec spec = new Spec();
        spec.audience = null;
        assertRejected(signedAssertion(spec), Reason.WRONG_AUDIENCE);
    }

    @Test
    void aWrongDestinationIsRefused() {
        Spec spec = new Spec();
        spec.destination = "https://warden.test/saml/globex/acs";
        assertRejected(signedAssertion(spec), Reason.WRONG_DESTINATION);
    }

    @Test
    void aSignedResponseWithoutDestinationIsRefused() {
        Spec spec = new Spec();
        spec.destination = null;
        assertRejected(signedResponse(spec), Reason.WRONG_DESTINATION);
    }

    @Test
    void aWrongRecipientIsRefused() {
        Spec spec = new Spec();
        spec.recipient = "https://other-sp.test/acs";
        assertRejected(signedAssertion(spec), Reason.WRONG_RECIPIENT);
    }

    @Test
    void aConfirmationMethodOtherThanBearerIsRefused() {
        Spec spec = new Spec();
        spec.confirmationMethod = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key";
        assertRejected(signedAssertion(spec), Reason.SUBJECT_CONFIRMATION);
    }

    @Test
    void aWrongIssuerIsRefused() {
        Spec spec = new Spec();
        spec.assertionIssuer = "https://idp.globex.test/saml";
        spec.responseIssuer = "https://idp.globex.test/saml";
        assertRejected(signedAssertion(spec), Reason.WRONG_ISSUER);
    }

    @Test
    void anExpiredAssertionIsRefused() {
        Spec spec = new Spec();
        spec.notOnOrAfter = NOW.minusSeconds(180); // beyond the 2 minutes of skew
        assertRejected(signedAssertion(spec), Reason.EXPIRED);
    }

    @Test
    void anExpiredSubjectConfirmationIsRefused() {
        Spec spec = new Spec();
        spec.confirmationNotOnOrAfter = NOW.minusSeconds(180);
        assertRejected(signedAssertion(spec), Reason.EXPIRED);
    }

    @Test
    void anAssertionNotYetValidIsRefused() {
        Spec spec = new Spec();
        spec.notBefore = NOW.plusSeconds(180);
        assertRejected(signedAssertion(spec), Reason.NOT_YET_VALID);
    }

    @Test
    void theSkewIsTheOrgsNotAFixedOne() {
        Spec spec = new Spec();
        spec.notBefore = NOW.plusSeconds(30);
        String encoded = encode(signedAssertion(spec));
        settings = TestIdp.settings(ACME).clockSkew(Duration.ZERO).build();
        assertRejected(encoded, Reason.NOT_YET_VALID);
    }

    // ---- solicitation and replay ----------------------------------------------------------------

    @Test
    void anUnsolicitedResponseIsRefusedByDefault() {
        Spec spec = new Spec();
        spec.inResponseTo = null;
        spec.confirmationInResponseTo = null;
        assertRejected(signedAssertion(spec), Reason.UNSOLICITED);
    }

    @Test
    void anUnsignedInResponseToDoesNotMakeAnUnsolicitedAssertionSolicited() {
        Spec spec = new Spec();
        spec.confirmationInResponseTo = null; // the IdP issued it unsolicited
        Document doc = signedAssertion(spec); // the Response (with InResponseTo) is not signed
        assertRejected(doc, Reason.UNSOLICITED);
        assertThat(requests.isPending(REQUEST_ID)).isTrue();
    }

    @Test
    void anInResponseToOfAnotherRequestIsRefused() {
        Spec spec = new Spec();
        spec.inResponseTo = "_a-request-never-sent";
        spec.confirmationInResponseTo = "_a-request-never-sent";
        assertRejected(signedAssertion(spec), Reason.UNKNOWN_REQUEST);
    }

    @Test
    void anInResponseToOfAnotherOrgsRequestIsRefusedAndLeftForThatOrg() {
        requests.remember(GLOBEX, "_globex-request", NOW.plusSeconds(600));
        Spec spec = new Spec();
        spec.inResponseTo = "_globex-request";
        spec.confirmationInResponseTo = "_globex-request";
        assertRejected(signedAssertion(spec), Reason.UNKNOWN_REQUEST);
        assertThat(requests.isPending("_globex-request")).isTrue();
    }

    @Test
    void responseAndConfirmationMustAgreeOnTheRequest() {
        requests.remember(ACME, "_other-request", NOW.plusSeconds(600));
        Spec spec = new Spec();
        spec.inResponseTo = "_other-request";
        assertRejected(signedAssertion(spec), Reason.UNKNOWN_REQUEST);
    }

    @Test
    void anExpiredRequestIdIsRefused() {
        requests = new InMemoryRequestIdStore();
        requests.remember(ACME, REQUEST_ID, NOW.minusSeconds(1));
        assertRejected(signedAssertion(new Spec()), Reason.UNKNOWN_REQUEST);
    }

    @Test
    void aReplayedSolicitedResponseFindsItsRequestUsedUp() throws SamlRejected {
        String encoded = encode(signedAssertion(new Spec()));
        validate(encoded);
        assertRejected(encoded, Reason.UNKNOWN_REQUEST);
    }

    @Test
    void aReplayedAssertionIdIsRefused() throws SamlRejected {
        // With unsolicited sign-in on, the replay cache is what stops a captured response being posted again.
        settings = TestIdp.settings(ACME).allowUnsolicited(true).build();
        Spec spec = new Spec();
        spec.inResponseTo = null;
        spec.confirmationInResponseTo = null;
        String encoded = encode(signedAssertion(spec));
        validate(encoded);
        assertRejected(encoded, Reason.REPLAY);
    }

    @Test
    void aForgedResponseConsumesNothing() {
        Document doc = TestIdp.document(new Spec());
        sign(assertion(doc), TestKeys.ATTACKER);
        assertRejected(doc, Reason.SIGNATURE_INVALID);
        assertThat(requests.isPending(REQUEST_ID)).as("the legitimate sign-in can still complete").isTrue();
    }

    // ---- MFA ------------------------------------------------------------------------------------

    @Test
    void withoutARequiredAuthnContextTheSignInIsRefusedSayingWhy() {
        settings = TestIdp.settings(ACME).requireAuthnContextClassRef(MFA_CLASS).build();
        assertThatThrownBy(() -> validate(encode(signedAssertion(new Spec()))))
                .isInstanceOfSatisfying(SamlRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.MFA_REQUIRED);
                    assertThat(e.getMessage()).contains("multi-factor authentication");
                    assertThat(e.detail()).contains(TestIdp.PASSWORD_CLASS).contains(MFA_CLASS);
                });
        assertThat(requests.isPending(REQUEST_ID)).isTrue();
    }

    @Test
    void withoutAnyAuthnContextClassRefAnMfaOrgRefuses() {
        settings = TestIdp.settings(ACME).requireAuthnContextClassRef(MFA_CLASS).build();
        Spec spec = new Spec();
        spec.classRef = null;
        assertRejected(signedAssertion(spec), Reason.MFA_REQUIRED);
    }

    @Test
    void withARequiredAuthnContextTheSignInIsAccepted() throws SamlRejected {
        settings = TestIdp.settings(ACME).requireAuthnContextClassRef(MFA_CLASS).build();
        Spec spec = new Spec();
        spec.classRef = MFA_CLASS;
        assertThat(validate(encode(signedAssertion(spec))).authnContextClassRef()).contains(MFA_CLASS);
    }

    // ---- misc -----------------------------------------------------------------------------------

    @Test
    void emailComesFromAMappedAttributeWhenTheNameIdIsNotAnEmail() throws SamlRejected {
        settings = TestIdp.settings(ACME).mapAttribute("mail", "email").build();
        Spec spec = new Spec();
        spec.nameId = "a7f3c2";
        spec.nameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
        spec.attributes.put("mail", List.of("alice@acme.test"));
        SamlIdentity identity = validate(encode(signedAssertion(spec)));
        assertThat(identity.nameId()).isEqualTo("a7f3c2");
        assertThat(identity.email()).contains("alice@acme.test");
        assertThat(identity.nameIdFormat()).contains("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
    }

    @Test
    void rejectionDetailsAreBoundedAndHaveNoControlCharacters() {
        SamlRejected e = new SamlRejected(Reason.WRONG_ISSUER, "x\n".repeat(1000));
        assertThat(e.detail()).hasSizeLessThan(310).doesNotContain("\n");
        assertThat(e.getMessage()).isEqualTo(Reason.WRONG_ISSUER.publicMessage());
    }

    @Test
    void nothingIsUsedUpBeforeTheLastStep() {
        Spec spec = new Spec();
        spec.audience = "https://elsewhere.test";
        assertRejected(signedAssertion(spec), Reason.WRONG_AUDIENCE);
        assertThat(requests.isPending(REQUEST_ID)).isTrue();
        assertThat(replay.firstSeen(Optional.of(spec.assertionId).get(), Instant.MAX)).isTrue();
    }
}
