package dev.warden.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.KmsClients;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The master key in a KMS, through Tink's KmsClient interface, with an in-test KMS. */
class KmsMasterKeyTest {

    /** A KMS whose keys are local AEADs, one per URI, created on first use. */
    static final class FakeKms implements KmsClient {
        private final String prefix;
        private final Map<String, Aead> keys = new HashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean down;

        FakeKms(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public boolean doesSupport(String keyUri) {
            return keyUri != null && keyUri.startsWith(prefix);
        }

        @Override
        public KmsClient withCredentials(String credentialPath) {
            return this;
        }

        @Override
        public KmsClient withDefaultCredentials() {
            return this;
        }

        @Override
        public synchronized Aead getAead(String keyUri) throws GeneralSecurityException {
            if (!doesSupport(keyUri)) {
                throw new GeneralSecurityException("unsupported key URI");
            }
            Aead key = keys.computeIfAbsent(keyUri, uri -> TestKeys.freshAead());
            return new Aead() {
                @Override
                public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
                    call();
                    return key.encrypt(plaintext, associatedData);
                }

                @Override
                public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
                    call();
                    return key.decrypt(ciphertext, associatedData);
                }
            };
        }

        private void call() throws GeneralSecurityException {
            calls.incrementAndGet();
            if (down) {
                throw new GeneralSecurityException("KMS unavailable: PERMISSION_DENIED");
            }
        }
    }

    @Test
    void wrapsAndUnwrapsKeysetsThroughTheKms() throws Exception {
        FakeKms kms = new FakeKms("test-kms://");
        MasterKey master = MasterKey.fromKms(kms, "test-kms://projects/p/keys/warden");
        Keyring keyring = Keyring.under(master);
        int afterProbe = kms.calls.get();

        WrappedKeyset wrapped = keyring.create("acme", KeyPurpose.CUSTOMER_DATA);
        DataSealer sealer = keyring.dataSealer("acme", wrapped);
        byte[] sealed = sealer.seal("row".getBytes(UTF_8), "r");

        assertThat(afterProbe).isEqualTo(2);
        assertThat(kms.calls.get()).isEqualTo(afterProbe + 2);
        assertThat(sealer.open(sealed, "r")).isEqualTo("row".getBytes(UTF_8));
        assertThat(master.description()).isEqualTo("kms test-kms://projects/p/keys/warden");
        assertThat(master.toString()).isEqualTo("MasterKey[kms test-kms://projects/p/keys/warden]");
    }

    @Test
    void anotherKmsKeyCannotUnwrap() throws Exception {
        FakeKms kms = new FakeKms("test-kms://");
        Keyring one = Keyring.under(MasterKey.fromKms(kms, "test-kms://keys/one"));
        Keyring two = Keyring.under(MasterKey.fromKms(kms, "test-kms://keys/two"));
        WrappedKeyset wrapped = one.create("acme", KeyPurpose.CUSTOMER_CREDENTIALS);

        SealingTest.assertUnreadable(() -> {
            two.credentialSealer("acme", wrapped);
            return null;
        });
    }

    @Test
    void aLocalKeysetMovesToTheKmsByRewrapping() throws Exception {
        Keyring local = TestKeys.keyring();
        Keyring kms = Keyring.under(MasterKey.fromKms(new FakeKms("test-kms://"), "test-kms://keys/prod"));
        WrappedKeyset underLocal = local.create("acme", KeyPurpose.CUSTOMER_DATA);
        byte[] sealed = local.dataSealer("acme", underLocal).seal("row".getBytes(UTF_8), "r");

        WrappedKeyset underKms = local.rewrap("acme", KeyPurpose.CUSTOMER_DATA, underLocal, kms);

        assertThat(kms.dataSealer("acme", underKms).open(sealed, "r")).isEqualTo("row".getBytes(UTF_8));
    }

    @Test
    void unsupportedUriIsRefused() {
        assertThatThrownBy(() -> MasterKey.fromKms(new FakeKms("test-kms://"), "gcp-kms://projects/p/keys/k"))
                .isInstanceOf(MasterKeyUnavailable.class)
                .hasMessageContaining("does not support");
    }

    @Test
    void aKmsThatCannotEncryptStopsStartup() {
        FakeKms kms = new FakeKms("test-kms://");
        kms.down = true;

        assertThatThrownBy(() -> MasterKey.fromKms(kms, "test-kms://keys/k"))
                .isInstanceOf(MasterKeyUnavailable.class)
                .hasMessageContaining("test-kms://keys/k")
                .hasRootCauseMessage("KMS unavailable: PERMISSION_DENIED");
    }

    @Test
    void aKmsOutageWhileLoadingIsOpaque() throws Exception {
        FakeKms kms = new FakeKms("test-kms://");
        Keyring keyring = Keyring.under(MasterKey.fromKms(kms, "test-kms://keys/k"));
        WrappedKeyset wrapped = keyring.create("acme", KeyPurpose.CUSTOMER_DATA);
        kms.down = true;

        SealingTest.assertUnreadable(() -> {
            keyring.dataSealer("acme", wrapped);
            return null;
        });
        assertThatThrownBy(() -> keyring.create("globex", KeyPurpose.CUSTOMER_DATA))
                .isInstanceOf(MasterKeyUnavailable.class);
    }

    @Test
    void usesTheClientRegisteredWithTink() throws Exception {
        String prefix = "warden-registered-test-kms://";
        KmsClients.add(new FakeKms(prefix));

        MasterKey master = MasterKey.fromKms(prefix + "keys/k");

        assertThat(master.description()).isEqualTo("kms " + prefix + "keys/k");
        assertThatThrownBy(() -> MasterKey.fromKms("nobody-kms://keys/k"))
                .isInstanceOf(MasterKeyUnavailable.class)
                .hasMessageContaining("no KMS client");
    }
}
