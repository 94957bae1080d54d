package dev.warden.crypto;

import static dev.warden.crypto.SealingTest.assertUnreadable;
import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties over arbitrary plaintexts, records and tampering. */
class SealingPropertiesTest {
    private final DataSealer acme;

    SealingPropertiesTest() throws Exception {
        Keyring keyring = TestKeys.keyring();
        acme = keyring.dataSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_DATA));
    }

    @Provide
    Arbitrary<String> records() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(StoredFormat.MAX_RECORD_LENGTH);
    }

    @Property(tries = 200)
    void roundTrips(@ForAll @Size(max = 4096) byte[] plaintext, @ForAll("records") String record) throws Exception {
        byte[] sealed = acme.seal(plaintext, record);

        assertThat(sealed).hasSize(plaintext.length + StoredFormat.SEALED_OVERHEAD);
        assertThat(acme.isUnderPrimaryKey(sealed)).isTrue();
        assertThat(acme.open(sealed, record)).isEqualTo(plaintext);
    }

    @Property(tries = 200)
    void opensForNoOtherRecord(@ForAll @Size(max = 256) byte[] plaintext,
            @ForAll("records") String record, @ForAll("records") String other) {
        if (record.equals(other)) {
            return;
        }
        byte[] sealed = acme.seal(plaintext, record);

        assertUnreadable(() -> acme.open(sealed, other));
    }

    @Property(tries = 300)
    void anyTamperingFails(@ForAll @Size(max = 256) byte[] plaintext,
            @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] sealed = acme.seal(plaintext, "r");
        sealed[position % sealed.length] ^= (byte) flip;

        assertUnreadable(() -> acme.open(sealed, "r"));
    }
}
