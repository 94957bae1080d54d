package dev.warden.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.KmsClients;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The key-encryption key that wraps every org keyset. It never encrypts customer data itself and
 * offers no operation to callers: hand it to {@link Keyring#under(MasterKey)}.
 *
 * <p>In production it lives in a KMS ({@link #fromKms(KmsClient, String)}); the key never leaves
 * the KMS, and wrapping or unwrapping a keyset is a KMS call. For development and single-node use
 * it can be a local Tink keyset file ({@link #fromLocalFile(Path)}).
 *
 * <p>{@code toString} names the file or the KMS key URI, never key material.
 */
public sealed interface MasterKey permits KekMasterKey {

    /**
     * A master key kept in a local Tink keyset file (Tink's JSON keyset format, one AES-256-GCM
     * key, in clear), created on first use.
     *
     * <p>On creation the file gets permissions {@code 0600}, and any directory this creates gets
     * {@code 0700}. An existing file whose permissions give group or others any access is refused,
     * and so is a directory that group or others may write.
     * Every call logs a warning that a local master key is for development and single-node use.
     *
     * @throws MasterKeyUnavailable when the file cannot be created or read, is not a Tink AEAD
     *     keyset, it or its directory has loose permissions, or the file system has no POSIX permissions to check
     */
    static MasterKey fromLocalFile(Path file) throws MasterKeyUnavailable {
        return LocalMasterKeyFile.open(requireNonNull(file, "file is null"));
    }

    /**
     * A master key in a KMS, reached through a Tink {@link KmsClient} (the server configures and
     * passes, for example, a GCP or AWS client). The key is probed once with an encrypt and a
     * decrypt, so a wrong URI or missing permission stops startup instead of the first request.
     *
     * @throws MasterKeyUnavailable when the client does not support the URI or the probe fails
     */
    static MasterKey fromKms(KmsClient client, String keyUri) throws MasterKeyUnavailable {
        requireNonNull(client, "client is null");
        requireNonNull(keyUri, "keyUri is null");
        if (!client.doesSupport(keyUri)) {
            throw new MasterKeyUnavailable("the KMS client does not support the key URI " + keyUri);
        }
        return KekMasterKey.fromKms(client, keyUri);
    }

    /**
     * A master key in a KMS, through the client registered for its URI with Tink's
     * {@link KmsClients#add(KmsClient)}.
     */
    static MasterKey fromKms(String keyUri) throws MasterKeyUnavailable {
        requireNonNull(keyUri, "keyUri is null");
        KmsClient client;
        try {
            client = KmsClients.get(keyUri);
        } catch (GeneralSecurityException e) {
            throw new MasterKeyUnavailable("no KMS client is registered for the key URI " + keyUri);
        }
        return fromKms(client, keyUri);
    }

    /** Where the key lives: {@code local file /path} or {@code kms <uri>}. Never key material. */
    String description();
}
