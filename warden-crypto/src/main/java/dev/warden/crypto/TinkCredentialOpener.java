package dev.warden.crypto;

import static java.util.Objects.requireNonNull;

/** {@link CredentialOpener} over a {@link PlaceBoundAead} for {@link KeyPurpose#CUSTOMER_CREDENTIALS}. */
final class TinkCredentialOpener implements CredentialOpener {
    private final PlaceBoundAead aead;

    TinkCredentialOpener(PlaceBoundAead aead) {
        this.aead = requireNonNull(aead, "aead is null");
    }

    @Override
    public byte[] open(byte[] sealed, String record) throws SealedDataUnreadable {
        return aead.open(sealed, record);
    }

    @Override
    public String toString() {
        return "CredentialOpener[" + aead + "]";
    }
}
