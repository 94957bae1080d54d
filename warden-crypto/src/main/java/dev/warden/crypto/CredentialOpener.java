package dev.warden.crypto;

/**
 * Decrypts one org's credentials. The only way to read a sealed secret.
 *
 * <p>Obtain one from {@link Keyring#credentialOpener(String, WrappedKeyset, CredentialAccess)}.
 * The server's ArchUnit rules allow this type to be referenced only by the connection executor
 * ({@code dev.warden.server.connections.execution}) and the sign-in component
 * ({@code dev.warden.server.identity}). Zero the returned array once the secret has been used,
 * and never log it. Thread-safe.
 */
public interface CredentialOpener {

    /** Decrypts a secret sealed for this org and {@code record}. */
    byte[] open(byte[] sealed, String record) throws SealedDataUnreadable;
}
