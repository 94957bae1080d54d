package dev.warden.server.query.cache;

import dev.warden.crypto.DataSealer;
import dev.warden.crypto.KeyPurpose;
import dev.warden.crypto.Keyring;
import dev.warden.crypto.MasterKey;
import dev.warden.crypto.MasterKeyUnavailable;
import dev.warden.crypto.SealedDataUnreadable;
import dev.warden.server.access.OrgId;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Real warden-crypto sealers, one CUSTOMER_DATA keyset per org, under a local master key file. */
final class TestSealing implements OrgSealing {
    private final Keyring keyring;
    private final Map<OrgId, DataSealer> sealers = new ConcurrentHashMap<>();

    TestSealing(Path dir) throws MasterKeyUnavailable {
        this.keyring = Keyring.under(MasterKey.fromLocalFile(dir.resolve("mk.json")));
    }

    private DataSealer sealer(OrgId org) {
        return sealers.computeIfAbsent(org, o -> {
            try {
                return keyring.dataSealer(o.toString(), keyring.create(o.toString(), KeyPurpose.CUSTOMER_DATA));
            } catch (MasterKeyUnavailable | SealedDataUnreadable e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public byte[] seal(OrgId org, byte[] plaintext, String record) {
        return sealer(org).seal(plaintext, record);
    }

    @Override
    public byte[] open(OrgId org, byte[] sealed, String record) throws SealedDataUnreadable {
        return sealer(org).open(sealed, record);
    }
}
