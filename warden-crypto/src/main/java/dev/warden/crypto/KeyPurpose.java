package dev.warden.crypto;

/**
 * What an org keyset is for. Each org has exactly one keyset per purpose, and a purpose is part of
 * the associated data of every ciphertext and of every wrapped keyset, so material made for one
 * purpose never opens under another.
 *
 * <p>The {@link #token()} is what goes into associated data. It is stable forever: renaming a
 * constant must not change its token, or every stored ciphertext becomes unreadable.
 */
public enum KeyPurpose {
    /** Customer data at rest: result cache entries, exports. Any component may seal and open. */
    CUSTOMER_DATA("customer_data"),
    /**
     * Connection secrets and IdP client secrets. Any component may seal; opening takes a
     * {@link CredentialAccess} token and is confined to a few packages of the server.
     */
    CUSTOMER_CREDENTIALS("customer_credentials");

    private final String token;

    KeyPurpose(String token) {
        this.token = token;
    }

    /** The stable name of this purpose inside associated data, e.g. {@code customer_data}. */
    public String token() {
        return token;
    }
}
