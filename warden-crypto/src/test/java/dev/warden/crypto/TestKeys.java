package dev.warden.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/** Master keys and raw key access for tests; in this package to reach package-private seams. */
final class TestKeys {
    private TestKeys() {}

    static {
        TinkRuntime.ensureRegistered();
    }

    /** A fresh in-memory master key (the same class the factories return). */
    static KekMasterKey inMemoryMasterKey() {
        return new KekMasterKey(freshAead(), "test in-memory");
    }

    static Aead freshAead() {
        try {
            return TinkRuntime.aead(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static Keyring keyring() {
        return Keyring.under(inMemoryMasterKey());
    }

    /** The raw AES key bytes inside a wrapped keyset, to prove they leak nowhere. */
    static List<byte[]> rawKeyBytes(KekMasterKey master, String org, KeyPurpose purpose, WrappedKeyset wrapped)
            throws SealedDataUnreadable {
        KeysetHandle keyset = master.unwrap(wrapped, StoredFormat.keysetAssociatedData(org, purpose));
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < keyset.size(); i++) {
            AesGcmKey key = (AesGcmKey) keyset.getAt(i).getKey();
            keys.add(key.getKeyBytes().toByteArray(InsecureSecretKeyAccess.get()));
        }
        return keys;
    }

    static KeysetHandle unwrapForTest(KekMasterKey master, String org, KeyPurpose purpose, WrappedKeyset wrapped)
            throws SealedDataUnreadable {
        return master.unwrap(wrapped, StoredFormat.keysetAssociatedData(org, purpose));
    }
}
