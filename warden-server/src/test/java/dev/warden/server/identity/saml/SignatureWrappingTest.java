package dev.warden.server.identity.saml;

import static dev.warden.server.identity.saml.TestIdp.DS;
import static dev.warden.server.identity.saml.TestIdp.NOW;
import static dev.warden.server.identity.saml.TestIdp.REQUEST_ID;
import static dev.warden.server.identity.saml.TestIdp.SAML;
import static dev.warden.server.identity.saml.TestIdp.SAMLP;
import static dev.warden.server.identity.saml.TestIdp.first;
import static dev.warden.server.identity.saml.TestIdp.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.server.identity.saml.SamlRejected.Reason;
import dev.warden.server.identity.saml.TestIdp.Spec;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The eight XML signature wrapping shapes of Somorovsky et al., "On Breaking SAML: Be Whoever You Want
 * to Be" (USENIX Security 2012), each built from a response that the IdP validly signed: the signed
 * original is kept intact somewhere a naive verifier still finds it by ID (so its digest verifies), and
 * an evil copy naming {@code admin@acme.test} sits where a naive reader takes its data from.
 *
 * <p>Each shape is tried twice: with the evil copy keeping the original's ID (the form published) and
 * with a fresh ID (which gets past a duplicate-ID check, and must then be caught by the structure
 * rules). Before every attack the untouched response is shown to be accepted, so that a refusal is due
 * to the wrapping and nothing else.
 */
class SignatureWrappingTest {
    static final String EVIL = "admin@acme.test";

    InMemoryRequestIdStore requests;
    SamlSettings settings;

    @BeforeEach
    void setUp() {
        requests = new InMemoryRequestIdStore();
        requests.remember(SamlResponseValidatorTest.ACME, REQUEST_ID, NOW.plusSeconds(600));
        settings = TestIdp.settings(SamlResponseValidatorTest.ACME).build();
    }

    void assertRejected(Document doc, Reason reason) {
        String encoded = TestIdp.encode(doc);
        assertThat(TestIdp.serialize(doc)).contains(EVIL);
        assertThatThrownBy(() -> new SamlResponseValidator().validate(encoded, settings, NOW, requests, new InMemoryReplayCache()))
                .isInstanceOfSatisfying(SamlRejected.class, e -> assertThat(e.reason()).as(e.toString()).isEqualTo(reason));
        assertThat(requests.isPending(REQUEST_ID)).isTrue();
    }

    /**
     * Defence in depth: even without the shape rules (one Response, one Assertion, unique IDs), the
     * signature layer alone refuses the evil element that carries the moved signature. The document is
     * re-parsed, only the evil element gets its ID registered (as the validator registers only the
     * elements it will read), and {@link SignatureVerifier} is asked to accept the signature for it.
     */
    static void assertSignatureLayerAloneRefuses(Document doc, boolean evilIsTheResponse) throws SamlRejected {
        Document reparsed = SamlXml.parse(TestIdp.serialize(doc).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Element evil = evilIsTheResponse ? reparsed.getDocumentElement()
                : SamlXml.children(reparsed.getDocumentElement(), SAML, "Assertion").get(0);
        Element evilAssertion = evilIsTheResponse ? SamlXml.children(evil, SAML, "Assertion").get(0) : evil;
        Element subject = SamlXml.children(evilAssertion, SAML, "Subject").get(0);
        assertThat(SamlXml.children(subject, SAML, "NameID").get(0).getTextContent()).isEqualTo(EVIL);
        evil.setIdAttributeNS(null, "ID", true);
        Element signature = directSignature(evil);
        assertThat(signature).as("the shape moves the signature into the evil element").isNotNull();
        assertThatThrownBy(() -> SignatureVerifier.verify(signature, evil, List.of(TestKeys.IDP.certificate())))
                .isInstanceOfSatisfying(SamlRejected.class, e -> assertThat(e.reason()).as(e.toString())
                        .isIn(Reason.BAD_REFERENCE, Reason.SIGNATURE_INVALID));
    }

    /** The original validates: whatever fails below fails because of the wrapping. */
    static Document validated(Document original) {
        InMemoryRequestIdStore fresh = new InMemoryRequestIdStore();
        fresh.remember(SamlResponseValidatorTest.ACME, REQUEST_ID, NOW.plusSeconds(600));
        try {
            new SamlResponseValidator().validate(TestIdp.encode(original),
                    TestIdp.settings(SamlResponseValidatorTest.ACME).build(), NOW, fresh, new InMemoryReplayCache());
        } catch (SamlRejected e) {
            throw new AssertionError("the unwrapped original should validate: " + e, e);
        }
        return original;
    }

    static Element evilCopy(Element signed, boolean keepId, String freshId) {
        Element evil = (Element) signed.cloneNode(true);
        Element signature = directSignature(evil);
        if (signature != null) {
            evil.removeChild(signature);
        }
        first(evil, SAML, "NameID").setTextContent(EVIL);
        if (!keepId) {
            evil.setAttribute("ID", freshId);
            if (SamlXml.is(evil, SAMLP, "Response")) {
                assertion(evil).setAttribute("ID", freshId + "-assertion");
            }
        }
        return evil;
    }

    static Element directSignature(Element element) {
        for (var n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && DS.equals(e.getNamespaceURI()) && "Signature".equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    static Element assertion(Element response) {
        return (Element) response.getElementsByTagNameNS(SAML, "Assertion").item(0);
    }

    // XSW1: a new evil root Response; the IdP's Signature moves into it, and the original signed Response
    // (its own signature removed, as the enveloped transform removes it anyway) goes inside that Signature.
    @ParameterizedTest(name = "keepId={0}")
    @ValueSource(booleans = {true, false})
    void xsw1(boolean keepId) throws SamlRejected {
        Document doc = validated(TestIdp.signedResponse(new Spec()));
        Element original = response(doc);
        Element signature = directSignature(original);
        Element evil = evilCopy(original, keepId, "_evil");
        original.removeChild(signature);
        doc.replaceChild(evil, original);
        evil.insertBefore(signature, first(evil, SAMLP, "Status"));
        signature.appendChild(original);
        assertSignatureLayerAloneRefuses(doc, true);
        assertRejected(doc, keepId ? Reason.DUPLICATE_ID : Reason.UNEXPECTED_STRUCTURE);
    }

    // XSW2: as XSW1, with the original Response placed before the Signature (a detached signature).
    @ParameterizedTest(name = "keepId={0}")
    @ValueSource(booleans = {true, false})
    void xsw2(boolean keepId) throws SamlRejected {
        Document doc = validated(TestIdp.signedResponse(new Spec()));
        Element original = response(doc);
        Element signature = directSignature(original);
        Element evil = evilCopy(original, keepId, "_evil");
        original.removeChild(signature);
        doc.replaceChild(evil, original);
        Element status = first(evil, SAMLP, "Status");
        evil.insertBefore(original, status);
        evil.insertBefore(signature, status);
        assertSignatureLayerAloneRefuses(doc, true);
        assertRejected(doc, keepId ? Reason.DUPLICATE_ID : Reason.UNEXPECTED_STRUCTURE);
    }

    // XSW1 against a signed Response with no assertion (a signed error, say): the evil root then holds the
    // only Assertion, so the assertion count alone does not catch it.
    @Test
    void xsw1WithASignedResponseThatHasNoAssertion() throws SamlRejected {
        Spec blank = new Spec();
        blank.withAssertion = false;
        Document doc = TestIdp.signedResponse(blank);
        Element original = response(doc);
        Element signature = directSignature(original);
        original.removeChild(signature);
        Spec evilSpec = new Spec();
        evilSpec.nameId = EVIL;
        Element evil = (Element) doc.importNode(response(TestIdp.document(evilSpec)), true);
        doc.replaceChild(evil, original);
        evil.insertBefore(signature, first(evil, SAMLP, "Status"));
        signature.appendChild(original);
        assertThat(doc.getElementsByTagNameNS(SAML, "Assertion").getLength()).isEqualTo(1);
        assertSignatureLayerAloneRefuses(doc, true);
        assertRejected(doc, Reason.UNEXPECTED_STRUCTURE);
    }

    // XSW3: an evil unsigned copy of the Assertion inserted before the signed one.
    @ParameterizedTest(name = "keepId={0}")
    @ValueSource(booleans = {true, false})
    void xsw3(boolean keepId) {
        Document doc = validated(TestIdp.signedAssertion(new Spec()));
        Element original = TestIdp.assertion(doc);
        response(doc).insertBefore(evilCopy(original, keepId, "_evil"), original);
        assertRejected(doc, keepId ? Reason.DUPLICATE_ID : Reason.ASSERTION_COUNT);
    }

    // XSW4: the evil copy wraps the signed Assertion.
    @ParameterizedTest(name = "keepId={0}")
    @ValueSource(booleans = {true, false})
    void xsw4(boolean keepId) {
        Document doc = validated(TestIdp.signedAssertion(new Spec()));
        Element original = TestIdp.assertion(doc);
        Element evil = evilCopy(original, keepId, "_evil");
        response(doc).replaceChild(evil, original);
        evil.appendChild(original);
        assertRejected(doc, keepId ? Reason.DUPLICATE_ID : Reason.ASSERTION_COUNT);
    }

    // XSW5: the evil Assertion carries the IdP's Signature; an unsigned copy of the original goes at the end.
    @ParameterizedTest(name = "keepId={0}")
    @ValueSource(booleans = {true, false})
    void xsw5(boolean keepId) throws SamlRejected {
        Document doc = validated(TestIdp.signedAssertion(new Spec()));
        Element original = TestIdp.assertion(doc);
        Element signature = directSignature(original);
        Element evil = evilCopy(original, keepId, "_evil");
        evil.insertBefore(signature, first(evil, SAML, "Subject"));
        response(doc).replaceChild(evil, original);
        response(doc).appendChild(original);
        assertSignatureLayerAloneRefuses(doc, false);
        assertRejected(doc, keepId ? Reason.DUPLICATE_ID : Reason.ASSERTION_COUNT);
    }

    // XSW6: as XSW5, with the unsigned original copy inside the Signature.
    @ParameterizedTest(name = "keepId={0}")
    @ValueSource(booleans = {true, false})
    void xsw6(boolean keepId) throws SamlRejected {
        Document doc = validated(TestIdp.signedAssertion(new Spec()));
        Element original = TestIdp.assertion(doc);
        Element signature = directSignature(original);
        Element evil = evilCopy(original, keepId, "_evil");
        evil.insertBefore(signature, first(evil, SAML, "Subject"));
        response(doc).replaceChild(evil, original);
        signature.appendChild(original);
        assertSignatureLayerAloneRefuses(doc, false);
        assertRejected(doc, keepId ? Reason.DUPLICATE_ID : Reason.ASSERTION_COUNT);
    }

    // XSW7: an Extensions element (schema: any content) holding an evil unsigned Assertion.
    @ParameterizedTest(name = "keepId={0}")
    @ValueSource(booleans = {true, false})
    void xsw7(boolean keepId) {
        Document doc = validated(TestIdp.signedAssertion(new Spec()));
        Element original = TestIdp.assertion(doc);
        Element extensions = doc.createElementNS(SAMLP, "samlp:Extensions");
        extensions.appendChild(evilCopy(original, keepId, "_evil"));
        response(doc).insertBefore(extensions, first(doc, SAMLP, "Status"));
        assertRejected(doc, keepId ? Reason.DUPLICATE_ID : Reason.ASSERTION_COUNT);
    }

    // XSW8: the evil Assertion carries the Signature, whose ds:Object holds the unsigned original.
    @ParameterizedTest(name = "keepId={0}")
    @ValueSource(booleans = {true, false})
    void xsw8(boolean keepId) throws SamlRejected {
        Document doc = validated(TestIdp.signedAssertion(new Spec()));
        Element original = TestIdp.assertion(doc);
        Element signature = directSignature(original);
        Element evil = evilCopy(original, keepId, "_evil");
        evil.insertBefore(signature, first(evil, SAML, "Subject"));
        response(doc).replaceChild(evil, original);
        Element object = doc.createElementNS(DS, "ds:Object");
        object.appendChild(original);
        signature.appendChild(object);
        assertSignatureLayerAloneRefuses(doc, false);
        assertRejected(doc, keepId ? Reason.DUPLICATE_ID : Reason.ASSERTION_COUNT);
    }

    // The assertion moved under Extensions of a signed Response: the only assertion, covered by the
    // Response's signature, but not where the profile puts it. (Signed content, so not an attack by
    // itself; the rule keeps "the assertion" meaning one place only.)
    @Test
    void theAssertionMustBeADirectChildOfTheResponse() {
        Document doc = TestIdp.document(new Spec());
        Element extensions = doc.createElementNS(SAMLP, "samlp:Extensions");
        response(doc).insertBefore(extensions, first(doc, SAMLP, "Status"));
        first(doc, SAML, "NameID").setTextContent(EVIL);
        extensions.appendChild(TestIdp.assertion(doc));
        TestIdp.sign(response(doc), TestKeys.IDP);
        assertRejected(doc, Reason.UNEXPECTED_STRUCTURE);
    }
}
