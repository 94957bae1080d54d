package dev.warden.crypto;

/**
 * Seals one org's credentials ({@link KeyPurpose#CUSTOMER_CREDENTIALS}): connection passwords,
 * private keys, tokens, IdP client secrets. It cannot open them: that takes a
 * {@link CredentialOpener}, which only a few components may hold.
 *
 * <p>Associated data is {@code warden/v1/{org}/customer_credentials/{record}}; the record rules
 * and the output format are those of {@link DataSealer} and {@link StoredFormat}.
 *
 * <p>Obtain one from {@link Keyring#credentialSealer(String, WrappedKeyset)}. Thread-safe.
 */
public interface CredentialSealer {

    /** Encrypts {@code secret} under the keyset's primary key, bound to {@code record}. */
    byte[] seal(byte[] secret, String record);

    /**
     * Moves a credential ciphertext to the current primary key, for the same record. The
     * plaintext never leaves this module and the record cannot change, so this grants no power
     * to read or relocate a secret; it lets the re-encryption job work without a
     * {@link CredentialOpener}.
     */
    byte[] reseal(byte[] sealed, String record) throws SealedDataUnreadable;

    /** Whether {@code sealed} names the current primary key; see {@link DataSealer#isUnderPrimaryKey}. */
    boolean isUnderPrimaryKey(byte[] sealed);
}
