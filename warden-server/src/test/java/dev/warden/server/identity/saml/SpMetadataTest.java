package dev.warden.server.identity.saml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class SpMetadataTest {
    static final String MD = "urn:oasis:names:tc:SAML:2.0:metadata";

    @Test
    void describesThisOrgsServiceProvider() {
        String xml = SpMetadata.xml(TestIdp.settings(SamlResponseValidatorTest.ACME).build());
        Element entity = TestIdp.parse(xml).getDocumentElement();

        assertThat(SamlXml.is(entity, MD, "EntityDescriptor")).isTrue();
        assertThat(entity.getAttribute("entityID")).isEqualTo(TestIdp.SP_ENTITY);
        Element sp = TestIdp.first(entity, MD, "SPSSODescriptor");
        assertThat(sp.getAttribute("WantAssertionsSigned")).isEqualTo("true");
        assertThat(sp.getAttribute("AuthnRequestsSigned")).isEqualTo("false");
        assertThat(sp.getAttribute("protocolSupportEnumeration")).isEqualTo("urn:oasis:names:tc:SAML:2.0:protocol");
        assertThat(TestIdp.first(sp, MD, "NameIDFormat").getTextContent())
                .isEqualTo("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
        Element acs = TestIdp.first(sp, MD, "AssertionConsumerService");
        assertThat(acs.getAttribute("Binding")).isEqualTo("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
        assertThat(acs.getAttribute("Location")).isEqualTo(TestIdp.ACS.toString());
    }

    @Test
    void valuesAreEscaped() {
        SamlSettings odd = TestIdp.settings(SamlResponseValidatorTest.ACME).sp("urn:acme:\"sp\"&<x>", TestIdp.ACS).build();
        Element entity = TestIdp.parse(SpMetadata.xml(odd)).getDocumentElement();
        assertThat(entity.getAttribute("entityID")).isEqualTo("urn:acme:\"sp\"&<x>");
    }
}
