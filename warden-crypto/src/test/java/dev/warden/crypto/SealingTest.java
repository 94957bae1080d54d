package dev.warden.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Sealing round-trips, and a ciphertext opens only in the place it was sealed for. */
class SealingTest {
    private static final byte[] SECRET = "s3cr3t-sentinel-PASSWORD".getBytes(UTF_8);

    private final KekMasterKey master = TestKeys.inMemoryMasterKey();
    private final Keyring keyring = Keyring.under(master);

    @Test
    void dataRoundTrips() throws Exception {
        DataSealer acme = keyring.dataSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_DATA));

        byte[] sealed = acme.seal(SECRET, "cache:abc");

        assertThat(acme.open(sealed, "cache:abc")).isEqualTo(SECRET);
        assertThat(acme.open(acme.seal(new byte[0], "r"), "r")).isEmpty();
    }

    @Test
    void sealingIsRandomized() throws Exception {
        DataSealer acme = keyring.dataSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_DATA));

        assertThat(acme.seal(SECRET, "r")).isNotEqualTo(acme.seal(SECRET, "r"));
    }

    @Test
    void credentialsRoundTripThroughTheOpener() throws Exception {
        WrappedKeyset credentials = keyring.create("acme", KeyPurpose.CUSTOMER_CREDENTIALS);
        byte[] sealed = keyring.credentialSealer("acme", credentials).seal(SECRET, "connection:1:password");

        CredentialOpener opener = keyring.credentialOpener("acme", credentials, CredentialAccess.get());

        assertThat(opener.open(sealed, "connection:1:password")).isEqualTo(SECRET);
    }

    @Test
    void storedFormatIsVersionByteThenTinkOutputWithKeyIdPrefix() throws Exception {
        WrappedKeyset wrapped = keyring.create("acme", KeyPurpose.CUSTOMER_DATA);
        byte[] sealed = keyring.dataSealer("acme", wrapped).seal(SECRET, "cache:abc");
        KeysetHandle keyset = TestKeys.unwrapForTest(master, "acme", KeyPurpose.CUSTOMER_DATA, wrapped);

        assertThat(sealed).hasSize(SECRET.length + StoredFormat.SEALED_OVERHEAD);
        assertThat(StoredFormat.SEALED_OVERHEAD).isEqualTo(34);
        assertThat(sealed[0]).isEqualTo(StoredFormat.SEALED_VERSION);
        assertThat(sealed[1]).isEqualTo((byte) 0x01);
        assertThat(ByteBuffer.wrap(sealed, 2, 4).getInt()).isEqualTo(keyset.getPrimary().getId());

        // Bytes 1.. are Tink's own output under the documented associated data.
        Aead tink = TinkRuntime.aead(keyset);
        byte[] tinkOutput = Arrays.copyOfRange(sealed, 1, sealed.length);
        assertThat(tink.decrypt(tinkOutput, "warden/v1/acme/customer_data/cache:abc".getBytes(US_ASCII)))
                .isEqualTo(SECRET);
    }

    @Test
    void doesNotOpenForAnotherRecord() throws Exception {
        DataSealer acme = keyring.dataSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_DATA));
        byte[] sealed = acme.seal(SECRET, "connection:1");

        assertUnreadable(() -> acme.open(sealed, "connection:2"));
        assertUnreadable(() -> acme.open(sealed, "connection:1/"));
        assertUnreadable(() -> acme.open(sealed, "connection:10"));
    }

    @Test
    void doesNotOpenInAnotherOrg() throws Exception {
        DataSealer acme = keyring.dataSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_DATA));
        DataSealer globex = keyring.dataSealer("globex", keyring.create("globex", KeyPurpose.CUSTOMER_DATA));
        byte[] sealed = acme.seal(SECRET, "connection:1");

        assertUnreadable(() -> globex.open(sealed, "connection:1"));
    }

    @Test
    void associatedDataAloneKeepsOrgsAndPurposesApart() throws Exception {
        // Even with the very same key, the place in the associated data refuses the move.
        KeysetHandle keyset = TestKeys.unwrapForTest(master, "acme", KeyPurpose.CUSTOMER_DATA,
                keyring.create("acme", KeyPurpose.CUSTOMER_DATA));
        var prefix = ((com.google.crypto.tink.aead.AeadKey) keyset.getPrimary().getKey()).getOutputPrefix();
        Aead aead = TinkRuntime.aead(keyset);
        PlaceBoundAead acmeData = new PlaceBoundAead(aead, "acme", KeyPurpose.CUSTOMER_DATA, prefix, 1);
        PlaceBoundAead globexData = new PlaceBoundAead(aead, "globex", KeyPurpose.CUSTOMER_DATA, prefix, 1);
        PlaceBoundAead acmeCredentials = new PlaceBoundAead(aead, "acme", KeyPurpose.CUSTOMER_CREDENTIALS, prefix, 1);

        byte[] sealed = acmeData.seal(SECRET, "r1");

        assertThat(acmeData.open(sealed, "r1")).isEqualTo(SECRET);
        assertUnreadable(() -> globexData.open(sealed, "r1"));
        assertUnreadable(() -> acmeCredentials.open(sealed, "r1"));
    }

    @Test
    void credentialsDoNotOpenForAnotherRowOrOrg() throws Exception {
        WrappedKeyset acmeKeys = keyring.create("acme", KeyPurpose.CUSTOMER_CREDENTIALS);
        WrappedKeyset globexKeys = keyring.create("globex", KeyPurpose.CUSTOMER_CREDENTIALS);
        byte[] sealed = keyring.credentialSealer("acme", acmeKeys).seal(SECRET, "connection:1:password");
        CredentialOpener acme = keyring.credentialOpener("acme", acmeKeys, CredentialAccess.get());
        CredentialOpener globex = keyring.credentialOpener("globex", globexKeys, CredentialAccess.get());

        assertUnreadable(() -> acme.open(sealed, "connection:2:password"));
        assertUnreadable(() -> globex.open(sealed, "connection:1:password"));
    }

    @Test
    void tamperingAnyByteFails() throws Exception {
        DataSealer acme = keyring.dataSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_DATA));
        byte[] sealed = acme.seal("short".getBytes(UTF_8), "r");

        for (int i = 0; i < sealed.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = sealed.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertUnreadable(() -> acme.open(tampered, "r"));
            }
        }
    }

    @Test
    void truncatedExtendedOrEmptyFails() throws Exception {
        DataSealer acme = keyring.dataSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_DATA));
        byte[] sealed = acme.seal(SECRET, "r");

        for (int length = 0; length < sealed.length; length++) {
            byte[] truncated = Arrays.copyOf(sealed, length);
            assertUnreadable(() -> acme.open(truncated, "r"));
        }
        assertUnreadable(() -> acme.open(Arrays.copyOf(sealed, sealed.length + 1), "r"));
    }

    @Test
    void failureTeachesNothing() throws Exception {
        DataSealer acme = keyring.dataSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_DATA));
        DataSealer globex = keyring.dataSealer("globex", keyring.create("globex", KeyPurpose.CUSTOMER_DATA));
        byte[] sealed = acme.seal(SECRET, "r");
        byte[] badVersion = sealed.clone();
        badVersion[0] = 2;
        byte[] badTag = sealed.clone();
        badTag[badTag.length - 1] ^= 1;

        for (var failure : new ThrowingOpen[] {
                () -> globex.open(sealed, "r"), () -> acme.open(sealed, "other"),
                () -> acme.open(badVersion, "r"), () -> acme.open(badTag, "r"), () -> acme.open(new byte[3], "r")}) {
            SealedDataUnreadable e = catchUnreadable(failure);
            assertThat(e.getMessage()).isEqualTo(SealedDataUnreadable.MESSAGE);
            assertThat(e.getCause()).isNull();
            assertThat(e.getSuppressed()).isEmpty();
            assertThat(e.toString()).doesNotContainIgnoringCase("key").doesNotContain("acme", "globex", "other");
        }
    }

    @Test
    void badNamesAreRefusedWithoutEchoingThem() throws Exception {
        DataSealer acme = keyring.dataSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_DATA));

        for (String record : new String[] {"", "has space", "tab\t", "é", "x".repeat(513)}) {
            assertThatThrownBy(() -> acme.seal(SECRET, record))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(record.isEmpty() ? "\u0000" : record));
        }
        assertThat(acme.open(acme.seal(SECRET, "a/b/c"), "a/b/c")).isEqualTo(SECRET);
        for (String org : new String[] {"", "ac/me", "ac me", "x".repeat(129)}) {
            assertThatThrownBy(() -> keyring.create(org, KeyPurpose.CUSTOMER_DATA))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @FunctionalInterface
    interface ThrowingOpen {
        byte[] open() throws Exception;
    }

    static SealedDataUnreadable catchUnreadable(ThrowingOpen open) {
        try {
            open.open();
        } catch (SealedDataUnreadable e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected SealedDataUnreadable, got " + e, e);
        }
        throw new AssertionError("expected SealedDataUnreadable, but it opened");
    }

    static void assertUnreadable(ThrowingOpen open) {
        SealedDataUnreadable e = catchUnreadable(open);
        assertThat(e.getMessage()).isEqualTo(SealedDataUnreadable.MESSAGE);
        assertThat(e.getCause()).isNull();
    }
}
