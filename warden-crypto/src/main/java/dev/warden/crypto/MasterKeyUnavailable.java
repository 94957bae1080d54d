package dev.warden.crypto;

/**
 * The master key (key-encryption key) cannot be used: the local keyset file is missing and cannot
 * be created, has permissions that let anyone but its owner read it, is not a Tink AEAD keyset,
 * or the KMS key cannot be reached or does not encrypt and decrypt. The server refuses to start.
 *
 * <p>Messages are for the operator: they name the file or the KMS key URI and say what to fix.
 * They never contain key material.
 */
public final class MasterKeyUnavailable extends Exception {
    private static final long serialVersionUID = 1L;

    MasterKeyUnavailable(String message) {
        super(message);
    }

    MasterKeyUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
