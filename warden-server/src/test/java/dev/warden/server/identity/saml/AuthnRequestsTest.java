package dev.warden.server.identity.saml;

import static dev.warden.server.identity.saml.TestIdp.NOW;
import static dev.warden.server.identity.saml.TestIdp.SAML;
import static dev.warden.server.identity.saml.TestIdp.SAMLP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class AuthnRequestsTest {
    final AuthnRequests authnRequests = new AuthnRequests();
    final SamlSettings settings = TestIdp.settings(SamlResponseValidatorTest.ACME).build();

    static Map<String, String> query(URI url) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    static Element request(URI url) throws Exception {
        byte[] deflated = Base64.getDecoder().decode(query(url).get("SAMLRequest"));
        Inflater inflater = new Inflater(true);
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        while (!inflater.finished()) {
            out.write(buffer, 0, inflater.inflate(buffer));
        }
        inflater.end();
        Document doc = TestIdp.parse(out.toString(StandardCharsets.UTF_8));
        return doc.getDocumentElement();
    }

    @Test
    void theRedirectCarriesADeflatedAuthnRequestForThisOrgsSp() throws Exception {
        AuthnRequests.Redirect redirect = authnRequests.redirect(settings, NOW.plusMillis(700), Optional.of("/topics/sales?x=1"));

        assertThat(redirect.url().toString()).startsWith("https://idp.acme.test/sso?SAMLRequest=");
        assertThat(query(redirect.url())).containsEntry("RelayState", "/topics/sales?x=1");
        Element request = request(redirect.url());
        assertThat(SamlXml.is(request, SAMLP, "AuthnRequest")).isTrue();
        assertThat(request.getAttribute("ID")).isEqualTo(redirect.requestId()).matches("_[0-9a-f]{40}");
        assertThat(request.getAttribute("Version")).isEqualTo("2.0");
        assertThat(request.getAttribute("IssueInstant")).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(request.getAttribute("Destination")).isEqualTo(TestIdp.IDP_SSO.toString());
        assertThat(request.getAttribute("AssertionConsumerServiceURL")).isEqualTo(TestIdp.ACS.toString());
        assertThat(request.getAttribute("ProtocolBinding")).isEqualTo("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
        assertThat(TestIdp.first(request, SAML, "Issuer").getTextContent()).isEqualTo(TestIdp.SP_ENTITY);
        assertThat(TestIdp.first(request, SAMLP, "NameIDPolicy").getAttribute("Format"))
                .isEqualTo("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
        assertThat(TestIdp.first(request, SAMLP, "RequestedAuthnContext")).isNull();
        assertThat(redirect.expiresAt()).isEqualTo(NOW.plus(AuthnRequests.REQUEST_LIFETIME));
    }

    @Test
    void everyRequestHasItsOwnId() {
        assertThat(authnRequests.redirect(settings, NOW, Optional.empty()).requestId())
                .isNotEqualTo(authnRequests.redirect(settings, NOW, Optional.empty()).requestId());
    }

    @Test
    void anSsoUrlWithAQueryKeepsIt() {
        SamlSettings withQuery = TestIdp.settings(SamlResponseValidatorTest.ACME)
                .idp(TestIdp.IDP_ENTITY, URI.create("https://idp.acme.test/sso?tenant=acme")).build();
        AuthnRequests.Redirect redirect = authnRequests.redirect(withQuery, NOW, Optional.empty());
        assertThat(redirect.url().toString()).startsWith("https://idp.acme.test/sso?tenant=acme&SAMLRequest=");
        assertThat(query(redirect.url())).doesNotContainKey("RelayState");
    }

    @Test
    void anMfaOrgAsksTheIdpForTheRequiredContext() throws Exception {
        SamlSettings mfa = TestIdp.settings(SamlResponseValidatorTest.ACME).requireAuthnContextClassRef(TestIdp.MFA_CLASS).build();
        Element requested = TestIdp.first(request(authnRequests.redirect(mfa, NOW, Optional.empty()).url()), SAMLP, "RequestedAuthnContext");
        assertThat(requested.getAttribute("Comparison")).isEqualTo("exact");
        assertThat(TestIdp.first(requested, SAML, "AuthnContextClassRef").getTextContent()).isEqualTo(TestIdp.MFA_CLASS);
    }

    @Test
    void aRelayStateOverEightyBytesIsRefused() {
        assertThatThrownBy(() -> authnRequests.redirect(settings, NOW, Optional.of("/" + "a".repeat(80))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aResponseToTheRequestIsAcceptedOnceTheCallerRemembersTheId() throws Exception {
        AuthnRequests.Redirect redirect = authnRequests.redirect(settings, NOW, Optional.empty());
        InMemoryRequestIdStore store = new InMemoryRequestIdStore();
        store.remember(settings.org(), redirect.requestId(), redirect.expiresAt());
        TestIdp.Spec spec = new TestIdp.Spec();
        spec.inResponseTo = redirect.requestId();
        spec.confirmationInResponseTo = redirect.requestId();
        SamlIdentity identity = new SamlResponseValidator().validate(TestIdp.encode(TestIdp.signedAssertion(spec)), settings,
                NOW.plusSeconds(20), store, new InMemoryReplayCache());
        assertThat(identity.nameId()).isEqualTo("alice@acme.test");
    }
}
