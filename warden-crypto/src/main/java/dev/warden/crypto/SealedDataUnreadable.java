package dev.warden.crypto;

/**
 * The one failure of opening anything this module sealed: a ciphertext, or a wrapped keyset.
 *
 * <p>It is deliberately uninformative. Whether the bytes were tampered with, truncated, of an
 * unknown format version, sealed for another org, purpose or record, sealed under a key that is
 * not in the keyset, or wrapped by another master key: the caller sees the same type and the same
 * fixed message, with no cause and no key id. An attacker who can submit ciphertexts learns only
 * "no". (With a KMS master key, an unreachable KMS while loading a keyset looks the same; the
 * operator finds the KMS error in the KMS's own logs.)
 *
 * <p>Only this package creates it.
 */
public final class SealedDataUnreadable extends Exception {
    private static final long serialVersionUID = 1L;

    /** The message of every instance; it never varies. */
    public static final String MESSAGE = "sealed data unreadable";

    SealedDataUnreadable() {
        super(MESSAGE, null, false, true);
    }
}
