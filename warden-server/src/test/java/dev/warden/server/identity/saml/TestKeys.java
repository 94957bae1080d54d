package dev.warden.server.identity.saml;

import java.io.InputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The tests' signing keys, from {@code src/test/resources/saml/test-keys.p12} (throw-away keys made with
 * the JDK's keytool; the command is in the README next to it).
 */
final class TestKeys {
    record KeyPairAndCertificate(PrivateKey privateKey, X509Certificate certificate) {}

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final KeyStore STORE = load();

    /** The org's IdP. */
    static final KeyPairAndCertificate IDP = entry("idp");
    /** The IdP's next key, configured alongside during a rollover. */
    static final KeyPairAndCertificate IDP_NEXT = entry("idp-next");
    /** Someone else: a valid key, not configured for the org. */
    static final KeyPairAndCertificate ATTACKER = entry("attacker");
    /** The IdP's ECDSA P-256 key. */
    static final KeyPairAndCertificate IDP_EC = entry("idp-ec");

    private TestKeys() {}

    private static KeyStore load() {
        try (InputStream in = TestKeys.class.getResourceAsStream("/saml/test-keys.p12")) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            return store;
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static KeyPairAndCertificate entry(String alias) {
        try {
            return new KeyPairAndCertificate((PrivateKey) STORE.getKey(alias, PASSWORD), (X509Certificate) STORE.getCertificate(alias));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
