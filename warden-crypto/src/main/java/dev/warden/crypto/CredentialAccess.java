package dev.warden.crypto;

/**
 * The token that must be shown to obtain a {@link CredentialOpener}, after Tink's
 * {@code InsecureSecretKeyAccess}: it carries no power of its own, but every place that decrypts
 * credentials has to write {@code CredentialAccess.get()}, so those places are easy to grep and an
 * ArchUnit rule in the server can confine them (and {@link CredentialOpener}) to the connection
 * executor and the sign-in component.
 */
public final class CredentialAccess {
    private static final CredentialAccess INSTANCE = new CredentialAccess();

    private CredentialAccess() {}

    /** Returns the token. Call this only where credentials really must be decrypted. */
    public static CredentialAccess get() {
        return INSTANCE;
    }

    @Override
    public String toString() {
        return "CredentialAccess";
    }
}
