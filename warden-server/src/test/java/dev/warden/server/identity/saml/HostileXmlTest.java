package dev.warden.server.identity.saml;

import static dev.warden.server.identity.saml.TestIdp.NOW;
import static dev.warden.server.identity.saml.TestIdp.REQUEST_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.warden.server.identity.saml.SamlRejected.Reason;
import dev.warden.server.identity.saml.TestIdp.Spec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DTDs, entities and oversized input, each in an otherwise valid signed response, refused by the parser
 * before anything else reads the document. A loopback HTTP server counts whether any external
 * reference was ever fetched.
 */
class HostileXmlTest {
    HttpServer server;
    final AtomicInteger fetches = new AtomicInteger();
    String base;
    InMemoryRequestIdStore requests;
    SamlSettings settings;

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            fetches.incrementAndGet();
            byte[] body = "<!ENTITY leaked 'fetched'>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        requests = new InMemoryRequestIdStore();
        requests.remember(SamlResponseValidatorTest.ACME, REQUEST_ID, NOW.plusSeconds(600));
        settings = TestIdp.settings(SamlResponseValidatorTest.ACME).build();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    /** A validly signed response, serialized, with a DOCTYPE in front and the NameID text replaced. */
    static String signedWith(String doctype, String nameIdReplacement) {
        String xml = TestIdp.serialize(TestIdp.signedAssertion(new Spec()));
        return doctype + xml.replace("alice@acme.test</saml:NameID>", nameIdReplacement + "</saml:NameID>");
    }

    void assertRejected(String xml, Reason reason) {
        String encoded = Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new SamlResponseValidator().validate(encoded, settings, NOW, requests, new InMemoryReplayCache()))
                .isInstanceOfSatisfying(SamlRejected.class, e -> assertThat(e.reason()).as(e.toString()).isEqualTo(reason));
        assertThat(requests.isPending(REQUEST_ID)).isTrue();
    }

    @Test
    void theUntouchedResponseIsAccepted() throws SamlRejected {
        String encoded = Base64.getEncoder().encodeToString(signedWith("", "alice@acme.test").getBytes(StandardCharsets.UTF_8));
        assertThat(new SamlResponseValidator().validate(encoded, settings, NOW, requests, new InMemoryReplayCache()).nameId())
                .isEqualTo("alice@acme.test");
    }

    @Test
    void anInternalDtdIsRefused() {
        assertRejected(signedWith("<!DOCTYPE samlp:Response [<!ELEMENT x ANY>]>", "alice@acme.test"), Reason.DTD_FORBIDDEN);
    }

    @Test
    void anExternalFileEntityIsRefused(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "alice@acme.test");
        assertRejected(signedWith("<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>", "&xxe;"),
                Reason.DTD_FORBIDDEN);
    }

    @Test
    void anExternalHttpEntityIsRefusedWithoutFetchingIt() {
        assertRejected(signedWith("<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM \"" + base + "/xxe\">]>", "&xxe;"),
                Reason.DTD_FORBIDDEN);
        assertThat(fetches).hasValue(0);
    }

    @Test
    void anExternalDtdAndParameterEntityAreRefusedWithoutFetchingThem() {
        assertRejected(signedWith("<!DOCTYPE samlp:Response SYSTEM \"" + base + "/dtd\">", "alice@acme.test"),
                Reason.DTD_FORBIDDEN);
        assertRejected(signedWith("<!DOCTYPE samlp:Response [<!ENTITY % p SYSTEM \"" + base + "/p\"> %p;]>", "&leaked;"),
                Reason.DTD_FORBIDDEN);
        assertThat(fetches).hasValue(0);
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE samlp:Response [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        long started = System.nanoTime();
        assertRejected(signedWith(dtd.toString(), "&lol9;"), Reason.DTD_FORBIDDEN);
        assertThat(System.nanoTime() - started).as("refused before any expansion").isLessThan(2_000_000_000L);
    }

    @Test
    void xincludeIsNotProcessed() {
        String xml = signedWith("", "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" + base
                + "/inc\" parse=\"text\"/>");
        // The include element is left as it is (so the signature no longer matches), and never fetched.
        assertRejected(xml, Reason.SIGNATURE_INVALID);
        assertThat(fetches).hasValue(0);
    }

    @Test
    void keyInfoIsNeverReadNorFetched() throws SamlRejected {
        // KeyInfo is outside SignedInfo, so anyone can rewrite it without breaking the signature: here it
        // points at a key to download. The configured certificate verifies; nothing is fetched.
        org.w3c.dom.Document doc = TestIdp.signedAssertion(new Spec());
        org.w3c.dom.Element keyInfo = TestIdp.first(doc, TestIdp.DS, "KeyInfo");
        while (keyInfo.hasChildNodes()) {
            keyInfo.removeChild(keyInfo.getFirstChild());
        }
        org.w3c.dom.Element retrieval = doc.createElementNS(TestIdp.DS, "ds:RetrievalMethod");
        retrieval.setAttribute("URI", base + "/key");
        keyInfo.appendChild(retrieval);
        assertThat(new SamlResponseValidator().validate(TestIdp.encode(doc), settings, NOW, requests, new InMemoryReplayCache())
                .nameId()).isEqualTo("alice@acme.test");
        assertThat(fetches).hasValue(0);
    }

    @Test
    void deeplyNestedElementsAreRefused() {
        String deep = "<a>".repeat(200) + "</a>".repeat(200);
        assertRejected(signedWith("", deep), Reason.MALFORMED);
    }

    @Test
    void anOversizedResponseIsRefusedBeforeDecoding() {
        String xml = signedWith("", "alice@acme.test").replace("</samlp:Response>",
                "<!--" + "x".repeat(300 * 1024) + "--></samlp:Response>");
        assertRejected(xml, Reason.TOO_LARGE);
    }

    @Test
    void aResponseJustOverTheDecodedLimitIsRefused() {
        String xml = signedWith("", "alice@acme.test");
        String padded = xml.replace("</samlp:Response>",
                "<!--" + "x".repeat(SamlResponseValidator.MAX_DECODED_BYTES + 10 - xml.length()) + "--></samlp:Response>");
        String encoded = Base64.getEncoder().encodeToString(padded.getBytes(StandardCharsets.UTF_8));
        assertThat(encoded.length()).as("passes the cheap length check").isLessThanOrEqualTo(SamlResponseValidator.MAX_ENCODED_CHARS);
        assertRejected(padded, Reason.TOO_LARGE);
    }

    @Test
    void aResponseJustUnderTheLimitIsParsed() throws SamlRejected {
        String xml = signedWith("", "alice@acme.test");
        String padded = xml.replace("</samlp:Response>",
                "<!--" + "x".repeat(SamlResponseValidator.MAX_DECODED_BYTES - 100 - xml.length()) + "--></samlp:Response>");
        String encoded = Base64.getEncoder().encodeToString(padded.getBytes(StandardCharsets.UTF_8));
        assertThat(new SamlResponseValidator().validate(encoded, settings, NOW, requests, new InMemoryReplayCache()).nameId())
                .isEqualTo("alice@acme.test");
    }
}
