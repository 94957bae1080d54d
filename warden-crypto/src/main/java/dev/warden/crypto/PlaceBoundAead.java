package dev.warden.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.util.Bytes;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * One org's keyset for one purpose, as an AEAD that binds every ciphertext to its place and
 * writes the {@link StoredFormat} sealed format.
 *
 * <p>{@link #open} is the only place in this module that decrypts with an org keyset: every
 * decryption of data and of credentials, including the one inside {@link #reseal}, goes through
 * it (an ArchUnit test keeps it so).
 */
final class PlaceBoundAead {
    private final Aead aead;
    private final String org;
    private final KeyPurpose purpose;
    private final Bytes primaryPrefix;
    private final int keyCount;

    PlaceBoundAead(Aead aead, String org, KeyPurpose purpose, Bytes primaryPrefix, int keyCount) {
        this.aead = requireNonNull(aead, "aead is null");
        this.org = StoredFormat.checkOrg(org);
        this.purpose = requireNonNull(purpose, "purpose is null");
        this.primaryPrefix = requireNonNull(primaryPrefix, "primaryPrefix is null");
        if (primaryPrefix.size() != StoredFormat.TINK_PREFIX_LENGTH) {
            throw new IllegalArgumentException("primary key must have a Tink output prefix");
        }
        this.keyCount = keyCount;
    }

    byte[] seal(byte[] plaintext, String record) {
        requireNonNull(plaintext, "plaintext is null");
        byte[] associatedData = StoredFormat.sealedAssociatedData(org, purpose, StoredFormat.checkRecord(record));
        byte[] tinkOutput;
        try {
            tinkOutput = aead.encrypt(plaintext, associatedData);
        } catch (GeneralSecurityException e) {
            // Local AES-GCM does not fail on encrypt; keep whatever Tink says out of the message.
            throw new IllegalStateException("sealing failed");
        }
        byte[] sealed = new byte[1 + tinkOutput.length];
        sealed[0] = StoredFormat.SEALED_VERSION;
        System.arraycopy(tinkOutput, 0, sealed, 1, tinkOutput.length);
        return sealed;
    }

    /** The one decryption with an org keyset. */
    byte[] open(byte[] sealed, String record) throws SealedDataUnreadable {
        requireNonNull(sealed, "sealed is null");
        byte[] associatedData = StoredFormat.sealedAssociatedData(org, purpose, StoredFormat.checkRecord(record));
        try {
            if (sealed.length < StoredFormat.SEALED_OVERHEAD || sealed[0] != StoredFormat.SEALED_VERSION) {
                throw new GeneralSecurityException();
            }
            return aead.decrypt(Arrays.copyOfRange(sealed, 1, sealed.length), associatedData);
        } catch (GeneralSecurityException | RuntimeException e) {
            // One throw site, no cause: every way of failing looks the same, stack trace included.
            throw new SealedDataUnreadable();
        }
    }

    byte[] reseal(byte[] sealed, String record) throws SealedDataUnreadable {
        byte[] plaintext = open(sealed, record);
        try {
            return seal(plaintext, record);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    boolean isUnderPrimaryKey(byte[] sealed) {
        requireNonNull(sealed, "sealed is null");
        if (sealed.length < StoredFormat.SEALED_OVERHEAD || sealed[0] != StoredFormat.SEALED_VERSION) {
            return false;
        }
        return Bytes.copyFrom(sealed, 1, StoredFormat.TINK_PREFIX_LENGTH).equals(primaryPrefix);
    }

    @Override
    public String toString() {
        return "org=" + org + ", purpose=" + purpose + ", keys=" + keyCount;
    }
}
