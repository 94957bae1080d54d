package dev.warden.server.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.warden.crypto.CredentialAccess;
import dev.warden.crypto.CredentialOpener;
import dev.warden.crypto.CredentialSealer;
import dev.warden.crypto.DataSealer;
import dev.warden.crypto.KeyPurpose;
import dev.warden.crypto.Keyring;
import dev.warden.crypto.MasterKeyUnavailable;
import dev.warden.crypto.SealedDataUnreadable;
import dev.warden.server.access.OrgId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each org's two keysets, as handles ready to use. Handles are cached briefly (loading one is a
 * KMS call with a KMS master key); when opening fails with a cached handle, the keyset is read
 * again once, since another node may have rotated it in the meantime.
 *
 * <p>Opening credentials takes a {@link CredentialAccess} token, which only the connection
 * executor and the sign-in component may obtain (an architecture test says so).
 */
@Service
public final class OrgKeys {
    private static final Duration HANDLE_TTL = Duration.ofMinutes(1);

    private final Keyring keyring;
    private final KeysetRepository keysets;
    private final TransactionTemplate alone;
    private final Clock clock;
    // Handles, not wrapped bytes: building a handle unwraps the keyset, a KMS call with a KMS master key.
    private final Cache<OrgId, DataSealer> dataSealers = handles();
    private final Cache<OrgId, CredentialSealer> credentialSealers = handles();
    private final Cache<OrgId, CredentialOpener> credentialOpeners = handles();

    public OrgKeys(Keyring keyring, KeysetRepository keysets, PlatformTransactionManager transactions, Clock clock) {
        this.keyring = keyring;
        this.keysets = keysets;
        this.alone = new TransactionTemplate(transactions);
        this.alone.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    private static <T> Cache<OrgId, T> handles() {
        return Caffeine.newBuilder().expireAfterWrite(HANDLE_TTL).maximumSize(100_000).build();
    }

    /** Creates the org's keysets; called in the org-creation transaction. */
    public void createFor(OrgId org) {
        for (KeyPurpose purpose : KeyPurpose.values()) {
            try {
                keysets.insert(org, purpose, keyring.create(org.toString(), purpose), clock.instant());
            } catch (MasterKeyUnavailable e) {
                throw new KeysUnavailable(e);
            }
        }
    }

    public DataSealer data(OrgId org) {
        return dataSealers.get(org, o -> load(() -> keyring.dataSealer(o.toString(), stored(o, KeyPurpose.CUSTOMER_DATA))));
    }

    /** Opens org data, re-reading the keyset once if a key newer than the cached handle sealed it. */
    public byte[] openData(OrgId org, byte[] sealed, String record) throws SealedDataUnreadable {
        try {
            return data(org).open(sealed, record);
        } catch (SealedDataUnreadable stale) {
            dataSealers.invalidate(org);
            return data(org).open(sealed, record);
        }
    }

    public CredentialSealer credentials(OrgId org) {
        return credentialSealers.get(org, o -> load(() -> keyring.credentialSealer(o.toString(),
                stored(o, KeyPurpose.CUSTOMER_CREDENTIALS))));
    }

    /** The one way to read a stored credential. Needs the token only the executor and sign-in may get. */
    public byte[] openCredential(OrgId org, byte[] sealed, String record, CredentialAccess access)
            throws SealedDataUnreadable {
        try {
            return opener(org, access).open(sealed, record);
        } catch (SealedDataUnreadable stale) {
            credentialOpeners.invalidate(org);
            return opener(org, access).open(sealed, record);
        }
    }

    private CredentialOpener opener(OrgId org, CredentialAccess access) {
        return credentialOpeners.get(org, o -> load(() -> keyring.credentialOpener(o.toString(),
                stored(o, KeyPurpose.CUSTOMER_CREDENTIALS), access)));
    }

    private interface Loader<T> {
        T load() throws SealedDataUnreadable;
    }

    private static <T> T load(Loader<T> loader) {
        try {
            return loader.load();
        } catch (SealedDataUnreadable e) {
            throw new KeysUnavailable(e);
        }
    }

    private void forget(OrgId org) {
        dataSealers.invalidate(org);
        credentialSealers.invalidate(org);
        credentialOpeners.invalidate(org);
    }

    /** Adds a new primary key to both of the org's keysets; returns nothing sealed is lost. */
    public void rotate(OrgId org) {
        for (KeyPurpose purpose : KeyPurpose.values()) {
            alone.executeWithoutResult(status -> {
                KeysetRepository.Stored current = keysets.findForUpdate(org, purpose)
                        .orElseThrow(() -> new IllegalStateException("org has no " + purpose + " keyset"));
                try {
                    keysets.replace(org, purpose, keyring.rotate(org.toString(), purpose, current.keyset()),
                            current.generation() + 1, clock.instant());
                } catch (SealedDataUnreadable | MasterKeyUnavailable e) {
                    throw new KeysUnavailable(e);
                }
            });
        }
        forget(org);
    }

    public List<OrgId> orgs() {
        return keysets.orgsWithKeysets();
    }

    private dev.warden.crypto.WrappedKeyset stored(OrgId org, KeyPurpose purpose) {
        return keysets.find(org, purpose)
                .orElseThrow(() -> new IllegalStateException("org has no " + purpose + " keyset"))
                .keyset();
    }
}
