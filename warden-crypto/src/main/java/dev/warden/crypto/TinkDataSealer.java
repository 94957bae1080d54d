package dev.warden.crypto;

import static java.util.Objects.requireNonNull;

/** {@link DataSealer} over a {@link PlaceBoundAead} for {@link KeyPurpose#CUSTOMER_DATA}. */
final class TinkDataSealer implements DataSealer {
    private final PlaceBoundAead aead;

    TinkDataSealer(PlaceBoundAead aead) {
        this.aead = requireNonNull(aead, "aead is null");
    }

    @Override
    public byte[] seal(byte[] plaintext, String record) {
        return aead.seal(plaintext, record);
    }

    @Override
    public byte[] open(byte[] sealed, String record) throws SealedDataUnreadable {
        return aead.open(sealed, record);
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
        return "DataSealer[" + aead + "]";
    }
}
