package dev.warden.crypto;

import static java.util.Objects.requireNonNull;

/**
 * {@link CredentialSealer} over a {@link PlaceBoundAead} for
 * {@link KeyPurpose#CUSTOMER_CREDENTIALS}. It implements no opening interface, so it cannot be
 * cast into one.
 */
final class TinkCredentialSealer implements CredentialSealer {
    private final PlaceBoundAead aead;

    TinkCredentialSealer(PlaceBoundAead aead) {
        this.aead = requireNonNull(aead, "aead is null");
    }

    @Override
    public byte[] seal(byte[] secret, String record) {
        return aead.seal(secret, record);
    }

    @Override
    public byte[] reseal(byte[] sealed, String record) throws SealedDataUnreadable {
        return aead.reseal(sealed, record);
    }

    @Override
    public boolean isUnderPrimaryKey(byte[] sealed) {
        return aead.isUnderPrimaryKey(sealed);
    }

    @Override
    public String toString() {
        return "CredentialSealer[" + aead + "]";
    }
}
