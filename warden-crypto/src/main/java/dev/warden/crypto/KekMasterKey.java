package dev.warden.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The only {@link MasterKey}: a Tink AEAD (local keyset or KMS) that wraps and unwraps org
 * keysets with Tink's encrypted keyset format. Never used for anything else.
 */
final class KekMasterKey implements MasterKey {
    private static final byte[] PROBE_PLAINTEXT = "warden master key probe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROBE_ASSOCIATED_DATA = "warden/v1/probe".getBytes(StandardCharsets.US_ASCII);

    private final Aead kek;
    private final String description;

    KekMasterKey(Aead kek, String description) {
        TinkRuntime.ensureRegistered();
        this.kek = requireNonNull(kek, "kek is null");
        this.description = requireNonNull(description, "description is null");
    }

    static KekMasterKey fromKms(KmsClient client, String keyUri) throws MasterKeyUnavailable {
        Aead kek;
        try {
            kek = client.getAead(keyUri);
            byte[] probe = kek.encrypt(PROBE_PLAINTEXT, PROBE_ASSOCIATED_DATA);
            if (!Arrays.equals(kek.decrypt(probe, PROBE_ASSOCIATED_DATA), PROBE_PLAINTEXT)) {
                throw new GeneralSecurityException("probe did not round-trip");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // KMS errors (permission denied, not found, unreachable) carry no key material and
            // are what the operator needs to fix the configuration.
            throw new MasterKeyUnavailable(
                    "the KMS key " + keyUri + " cannot encrypt and decrypt; check the URI, the network"
                            + " and the credentials' permissions", e);
        }
        return new KekMasterKey(kek, "kms " + keyUri);
    }

    /** Encrypts an org keyset, bound to {@code associatedData}, in the wrapped-keyset format. */
    WrappedKeyset wrap(KeysetHandle keyset, byte[] associatedData) throws MasterKeyUnavailable {
        byte[] encrypted;
        try {
            encrypted = TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, kek, associatedData);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new MasterKeyUnavailable("the master key (" + description + ") could not wrap a keyset", e);
        }
        byte[] out = new byte[1 + encrypted.length];
        out[0] = StoredFormat.WRAPPED_KEYSET_VERSION;
        System.arraycopy(encrypted, 0, out, 1, encrypted.length);
        return WrappedKeyset.adopt(out);
    }

    /** Decrypts a wrapped keyset; every failure is the same {@link SealedDataUnreadable}. */
    KeysetHandle unwrap(WrappedKeyset wrapped, byte[] associatedData) throws SealedDataUnreadable {
        byte[] bytes = wrapped.bytes();
        try {
            if (bytes.length < 2 || bytes[0] != StoredFormat.WRAPPED_KEYSET_VERSION) {
                throw new GeneralSecurityException();
            }
            return TinkProtoKeysetFormat.parseEncryptedKeyset(
                    Arrays.copyOfRange(bytes, 1, bytes.length), kek, associatedData);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SealedDataUnreadable();
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return "MasterKey[" + description + "]";
    }
}
