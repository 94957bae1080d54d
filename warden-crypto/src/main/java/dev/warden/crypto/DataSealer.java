package dev.warden.crypto;

/**
 * Seals and opens one org's customer data ({@link KeyPurpose#CUSTOMER_DATA}), every ciphertext
 * bound to its place: associated data {@code warden/v1/{org}/customer_data/{record}}. Output is
 * in the format described by {@link StoredFormat}.
 *
 * <p>The {@code record} names where the ciphertext is stored (for example {@code cache:9f2c…} or
 * {@code export:42}); 1 to {@value StoredFormat#MAX_RECORD_LENGTH} printable ASCII characters.
 * A ciphertext opens only with the same org, purpose and record it was sealed with.
 *
 * <p>Obtain one from {@link Keyring#dataSealer(String, WrappedKeyset)}. Thread-safe.
 */
public interface DataSealer {

    /** Encrypts {@code plaintext} under the keyset's primary key, bound to {@code record}. */
    byte[] seal(byte[] plaintext, String record);

    /** Decrypts with whichever key of the keyset sealed it. */
    byte[] open(byte[] sealed, String record) throws SealedDataUnreadable;

    /**
     * Opens {@code sealed} with any key of the keyset and seals it again under the current
     * primary key, for the same record. For the re-encryption job after a rotation.
     */
    byte[] reseal(byte[] sealed, String record) throws SealedDataUnreadable;

    /**
     * Whether {@code sealed} names the current primary key, so a re-encryption job can skip it.
     * Looks only at the header (no decryption): {@code true} does not mean it opens.
     */
    boolean isUnderPrimaryKey(byte[] sealed);
}
