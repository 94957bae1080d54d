/**
 * Warden's keys and envelope encryption, on Google Tink.
 *
 * <p>A {@link dev.warden.crypto.MasterKey} (KMS, or a local file for development) wraps each
 * org's two keysets ({@link dev.warden.crypto.KeyPurpose}); a {@link dev.warden.crypto.Keyring}
 * creates, rotates and opens them and hands out purpose-named handles:
 * {@link dev.warden.crypto.DataSealer} to anyone, {@link dev.warden.crypto.CredentialSealer} to
 * anyone, and {@link dev.warden.crypto.CredentialOpener} only against a
 * {@link dev.warden.crypto.CredentialAccess} token. Every ciphertext is bound to its org, purpose
 * and record; the stored formats are in {@link dev.warden.crypto.StoredFormat}. Every failure to
 * open is the same {@link dev.warden.crypto.SealedDataUnreadable}.
 *
 * <p>Pure Java: no Spring, and no I/O but the local master key file.
 */
package dev.warden.crypto;
