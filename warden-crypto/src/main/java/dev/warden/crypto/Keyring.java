package dev.warden.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AeadKey;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;

/**
 * Every org's keysets under one master key: creates, rotates and opens them, and hands out the
 * purpose-named handles that seal and open.
 *
 * <p>Each org has one keyset per {@link KeyPurpose}, a Tink AEAD keyset of AES-256-GCM keys,
 * stored by the caller as a {@link WrappedKeyset}. The master key wraps it with associated data
 * {@code warden/v1/keyset/{org}/{purpose}}, so a wrapped keyset copied to another org's or
 * purpose's row does not load.
 *
 * <h2>Rotation</h2>
 * Keys are only ever added, never removed, so nothing sealed is ever unreadable. On one node,
 * {@link #rotate} adds a new primary key. With several nodes that cache opened keysets, rotate in
 * two steps so that no node meets a key it does not have: {@link #addKey} (new key, not yet
 * used to seal) and, once every node has reloaded, {@link #promoteNewestKey}. Then a
 * re-encryption job {@code reseal}s whatever {@code isUnderPrimaryKey} says is not yet under it.
 *
 * <p>Immutable and thread-safe. Loading a keyset decrypts it with the master key (a KMS call for
 * a KMS master key); callers that seal often should keep the returned handles.
 */
public final class Keyring {
    private final KekMasterKey masterKey;

    private Keyring(KekMasterKey masterKey) {
        this.masterKey = masterKey;
    }

    /** The keyring whose keysets {@code masterKey} wraps. */
    public static Keyring under(MasterKey masterKey) {
        requireNonNull(masterKey, "masterKey is null");
        return switch (masterKey) {
            case KekMasterKey kek -> new Keyring(kek);
        };
    }

    /** A new keyset for {@code org} and {@code purpose}: one AES-256-GCM key, primary. */
    public WrappedKeyset create(String org, KeyPurpose purpose) throws MasterKeyUnavailable {
        StoredFormat.checkOrg(org);
        requireNonNull(purpose, "purpose is null");
        KeysetHandle keyset;
        try {
            keyset = KeysetHandle.newBuilder().addEntry(newKey().makePrimary()).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an AES-256-GCM key", e);
        }
        return masterKey.wrap(keyset, StoredFormat.keysetAssociatedData(org, purpose));
    }

    /** Adds a new primary key; older keys stay, so everything sealed before still opens. */
    public WrappedKeyset rotate(String org, KeyPurpose purpose, WrappedKeyset current)
            throws SealedDataUnreadable, MasterKeyUnavailable {
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(unwrap(org, purpose, current));
        builder.addEntry(newKey().makePrimary());
        return wrap(org, purpose, builder);
    }

    /**
     * First step of a two-step rotation: adds a new key that opens but does not yet seal.
     * Deploy the result to every node before {@link #promoteNewestKey}.
     */
    public WrappedKeyset addKey(String org, KeyPurpose purpose, WrappedKeyset current)
            throws SealedDataUnreadable, MasterKeyUnavailable {
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(unwrap(org, purpose, current));
        builder.addEntry(newKey());
        return wrap(org, purpose, builder);
    }

    /** Second step of a two-step rotation: makes the most recently added key the primary. */
    public WrappedKeyset promoteNewestKey(String org, KeyPurpose purpose, WrappedKeyset current)
            throws SealedDataUnreadable, MasterKeyUnavailable {
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(unwrap(org, purpose, current));
        builder.getAt(builder.size() - 1).makePrimary();
        return wrap(org, purpose, builder);
    }

    /**
     * The same keyset wrapped by another master key, for moving to a new master key (for example
     * from a local file to a KMS). Org keys do not change, so no ciphertext needs resealing.
     */
    public WrappedKeyset rewrap(String org, KeyPurpose purpose, WrappedKeyset current, Keyring target)
            throws SealedDataUnreadable, MasterKeyUnavailable {
        requireNonNull(target, "target is null");
        KeysetHandle keyset = unwrap(org, purpose, current);
        return target.masterKey.wrap(keyset, StoredFormat.keysetAssociatedData(org, purpose));
    }

    /** Seals and opens {@code org}'s customer data with its {@link KeyPurpose#CUSTOMER_DATA} keyset. */
    public DataSealer dataSealer(String org, WrappedKeyset customerData) throws SealedDataUnreadable {
        return new TinkDataSealer(load(org, KeyPurpose.CUSTOMER_DATA, customerData));
    }

    /** Seals (only) {@code org}'s credentials with its {@link KeyPurpose#CUSTOMER_CREDENTIALS} keyset. */
    public CredentialSealer credentialSealer(String org, WrappedKeyset customerCredentials)
            throws SealedDataUnreadable {
        return new TinkCredentialSealer(load(org, KeyPurpose.CUSTOMER_CREDENTIALS, customerCredentials));
    }

    /**
     * Opens {@code org}'s credentials. The {@link CredentialAccess} token is what makes every
     * caller of this method visible; see {@link CredentialOpener} for who may hold one.
     */
    public CredentialOpener credentialOpener(String org, WrappedKeyset customerCredentials, CredentialAccess access)
            throws SealedDataUnreadable {
        requireNonNull(access, "access is null");
        return new TinkCredentialOpener(load(org, KeyPurpose.CUSTOMER_CREDENTIALS, customerCredentials));
    }

    private PlaceBoundAead load(String org, KeyPurpose purpose, WrappedKeyset wrapped) throws SealedDataUnreadable {
        KeysetHandle keyset = unwrap(org, purpose, wrapped);
        try {
            Aead aead = TinkRuntime.aead(keyset);
            AeadKey primary = (AeadKey) keyset.getPrimary().getKey();
            return new PlaceBoundAead(aead, org, purpose, primary.getOutputPrefix(), keyset.size());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SealedDataUnreadable();
        }
    }

    /**
     * Decrypts a wrapped keyset and checks it is one this module could have made: a primary, and
     * only AEAD keys with Tink's 5-byte output prefix (which {@code isUnderPrimaryKey} relies on).
     */
    private KeysetHandle unwrap(String org, KeyPurpose purpose, WrappedKeyset wrapped) throws SealedDataUnreadable {
        StoredFormat.checkOrg(org);
        requireNonNull(purpose, "purpose is null");
        requireNonNull(wrapped, "wrapped is null");
        KeysetHandle keyset = masterKey.unwrap(wrapped, StoredFormat.keysetAssociatedData(org, purpose));
        try {
            keyset.getPrimary();
            for (int i = 0; i < keyset.size(); i++) {
                KeysetHandle.Entry entry = keyset.getAt(i);
                Key key = entry.getKey();
                if (!(key instanceof AeadKey aeadKey)
                        || aeadKey.getOutputPrefix().size() != StoredFormat.TINK_PREFIX_LENGTH) {
                    throw new SealedDataUnreadable();
                }
            }
        } catch (IllegalStateException e) {
            throw new SealedDataUnreadable();
        }
        return keyset;
    }

    private WrappedKeyset wrap(String org, KeyPurpose purpose, KeysetHandle.Builder builder)
            throws MasterKeyUnavailable {
        KeysetHandle keyset;
        try {
            keyset = builder.build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the rotated keyset", e);
        }
        return masterKey.wrap(keyset, StoredFormat.keysetAssociatedData(org, purpose));
    }

    private static KeysetHandle.Builder.Entry newKey() {
        return KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId();
    }

    @Override
    public String toString() {
        return "Keyring[" + masterKey + "]";
    }
}
