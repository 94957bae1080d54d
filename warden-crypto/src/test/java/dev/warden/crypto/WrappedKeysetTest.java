package dev.warden.crypto;

import static dev.warden.crypto.SealingTest.assertUnreadable;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A wrapped keyset loads only for its org and purpose, and only under its master key. */
class WrappedKeysetTest {
    private final Keyring keyring = TestKeys.keyring();

    @Test
    void startsWithItsVersionByte() throws Exception {
        WrappedKeyset wrapped = keyring.create("acme", KeyPurpose.CUSTOMER_DATA);

        assertThat(wrapped.toBytes()[0]).isEqualTo(StoredFormat.WRAPPED_KEYSET_VERSION);
        assertThat(WrappedKeyset.fromBytes(wrapped.toBytes())).isEqualTo(wrapped);
    }

    @Test
    void copiedToAnotherOrgDoesNotLoad() throws Exception {
        WrappedKeyset acmeData = keyring.create("acme", KeyPurpose.CUSTOMER_DATA);
        WrappedKeyset acmeCredentials = keyring.create("acme", KeyPurpose.CUSTOMER_CREDENTIALS);

        assertUnreadable(() -> {
            keyring.dataSealer("globex", acmeData);
            return null;
        });
        assertUnreadable(() -> {
            keyring.credentialOpener("globex", acmeCredentials, CredentialAccess.get());
            return null;
        });
    }

    @Test
    void copiedToAnotherPurposeDoesNotLoad() throws Exception {
        WrappedKeyset acmeData = keyring.create("acme", KeyPurpose.CUSTOMER_DATA);
        WrappedKeyset acmeCredentials = keyring.create("acme", KeyPurpose.CUSTOMER_CREDENTIALS);

        // The data keyset put in the credentials row: nobody can open credentials with it.
        assertUnreadable(() -> {
            keyring.credentialOpener("acme", acmeData, CredentialAccess.get());
            return null;
        });
        assertUnreadable(() -> {
            keyring.credentialSealer("acme", acmeData);
            return null;
        });
        // The credentials keyset put in the data row: the data sealer cannot open credentials.
        assertUnreadable(() -> {
            keyring.dataSealer("acme", acmeCredentials);
            return null;
        });
        assertUnreadable(() -> keyring.rotate("acme", KeyPurpose.CUSTOMER_DATA, acmeCredentials).toBytes());
    }

    @Test
    void wrongMasterKeyFails() throws Exception {
        WrappedKeyset wrapped = keyring.create("acme", KeyPurpose.CUSTOMER_DATA);
        Keyring other = TestKeys.keyring();

        assertUnreadable(() -> {
            other.dataSealer("acme", wrapped);
            return null;
        });
    }

    @Test
    void tamperingAnyByteFails() throws Exception {
        byte[] wrapped = keyring.create("acme", KeyPurpose.CUSTOMER_DATA).toBytes();

        for (int i = 0; i < wrapped.length; i++) {
            byte[] tampered = wrapped.clone();
            tampered[i] ^= 0x01;
            WrappedKeyset bad = WrappedKeyset.fromBytes(tampered);
            // Tink's cleartext KeysetInfo is not authenticated and not used to pick keys, so a flip
            // there may still load; then the keyset must be the original one, never another.
            try {
                DataSealer sealer = keyring.dataSealer("acme", bad);
                DataSealer original = keyring.dataSealer("acme", WrappedKeyset.fromBytes(wrapped));
                assertThat(original.open(sealer.seal("x".getBytes(UTF_8), "r"), "r")).isEqualTo("x".getBytes(UTF_8));
            } catch (SealedDataUnreadable expected) {
                assertThat(expected.getMessage()).isEqualTo(SealedDataUnreadable.MESSAGE);
            }
        }
        assertUnreadable(() -> {
            keyring.dataSealer("acme", WrappedKeyset.fromBytes(new byte[0]));
            return null;
        });
    }

    @Test
    void rewrapMovesAKeysetToANewMasterKeyWithTheSameKeys() throws Exception {
        WrappedKeyset underOld = keyring.create("acme", KeyPurpose.CUSTOMER_DATA);
        byte[] sealed = keyring.dataSealer("acme", underOld).seal("row".getBytes(UTF_8), "r");
        Keyring target = TestKeys.keyring();

        WrappedKeyset underNew = keyring.rewrap("acme", KeyPurpose.CUSTOMER_DATA, underOld, target);

        assertThat(target.dataSealer("acme", underNew).open(sealed, "r")).isEqualTo("row".getBytes(UTF_8));
        assertUnreadable(() -> {
            keyring.dataSealer("acme", underNew);
            return null;
        });
    }

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] bytes = {1, 2, 3};
        WrappedKeyset wrapped = WrappedKeyset.fromBytes(bytes);
        bytes[0] = 9;
        wrapped.toBytes()[1] = 9;

        assertThat(wrapped.toBytes()).containsExactly(1, 2, 3);
    }
}
