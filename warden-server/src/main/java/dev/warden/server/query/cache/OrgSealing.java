package dev.warden.server.query.cache;

import dev.warden.crypto.SealedDataUnreadable;
import dev.warden.server.access.OrgId;
import dev.warden.server.keys.OrgKeys;

/**
 * Seals and opens one org's customer data: the two operations the cache needs from
 * {@link OrgKeys}, so that tests can hand it real sealers without a metadata store.
 */
interface OrgSealing {
    byte[] seal(OrgId org, byte[] plaintext, String record);

    byte[] open(OrgId org, byte[] sealed, String record) throws SealedDataUnreadable;

    static OrgSealing of(OrgKeys keys) {
        return new OrgSealing() {
            @Override
            public byte[] seal(OrgId org, byte[] plaintext, String record) {
                return keys.data(org).seal(plaintext, record);
            }

            @Override
            public byte[] open(OrgId org, byte[] sealed, String record) throws SealedDataUnreadable {
                return keys.openData(org, sealed, record);
            }
        };
    }
}
