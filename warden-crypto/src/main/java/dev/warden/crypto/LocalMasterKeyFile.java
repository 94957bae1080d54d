package dev.warden.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * A master key kept in a local file: Tink's JSON keyset format (the format {@code tinkey}
 * writes), in clear, one AES-256-GCM key. Whoever reads the file can unwrap every org keyset, so
 * it must be readable by its owner only, and it is refused otherwise; whoever writes its directory
 * can swap in a key of their own, so a group- or world-writable directory is refused too.
 *
 * <p>Creation is race-free between processes: the keyset is written to a private temporary file
 * in the same directory and hard-linked into place, which fails if another process got there
 * first; then that process's key is used.
 */
final class LocalMasterKeyFile {
    private static final System.Logger LOG = System.getLogger(MasterKey.class.getName());

    /** A Tink keyset with a few keys is well under 1 KiB; anything this big is not one. */
    static final int MAX_FILE_SIZE = 64 * 1024;
    static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private LocalMasterKeyFile() {}

    static KekMasterKey open(Path file) throws MasterKeyUnavailable {
        TinkRuntime.ensureRegistered();
        Path path = file.toAbsolutePath().normalize();
        createDirectory(path.getParent());
        checkDirectory(path.getParent());
        if (!Files.exists(path)) {
            create(path);
        }
        LOG.log(Level.WARNING, "Warden is using a LOCAL master key file, " + path + ". A local master key"
                + " is for development and single-node use only: anyone who can read this file can decrypt"
                + " every org's data and credentials, and losing it loses them all. In production, use a"
                + " KMS key URI.");
        return new KekMasterKey(read(path), "local file " + path);
    }

    private static void createDirectory(Path directory) throws MasterKeyUnavailable {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
            Files.setPosixFilePermissions(directory, DIRECTORY_PERMISSIONS);
        } catch (UnsupportedOperationException e) {
            throw noPosix(directory);
        } catch (IOException e) {
            throw new MasterKeyUnavailable("cannot create the master key directory " + directory, e);
        }
    }

    /**
     * Whoever may write the directory may replace the key file with a key of their own (or plant
     * one before the first start), and every keyset created after that is theirs to read.
     */
    private static void checkDirectory(Path directory) throws MasterKeyUnavailable {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(directory);
        } catch (UnsupportedOperationException e) {
            throw noPosix(directory);
        } catch (IOException e) {
            throw new MasterKeyUnavailable("cannot read the permissions of the master key directory " + directory, e);
        }
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new MasterKeyUnavailable("refusing the master key directory " + directory + ": its permissions are "
                    + PosixFilePermissions.toString(permissions) + ", so others could replace the key file;"
                    + " run: chmod go-w " + directory + " (or keep the key in a directory of its own)");
        }
    }

    private static void create(Path path) throws MasterKeyUnavailable {
        byte[] json;
        try {
            KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get())
                    .getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new MasterKeyUnavailable("cannot generate a master key", e);
        }
        Path temporary = null;
        try {
            temporary = Files.createTempFile(path.getParent(), ".master-key-", ".tmp",
                    PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS));
            Files.setPosixFilePermissions(temporary, FILE_PERMISSIONS);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(json);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.createLink(path, temporary);
            } catch (UnsupportedOperationException e) {
                Files.move(temporary, path);
            }
            LOG.log(Level.WARNING, "Created a new local master key file " + path + " (permissions 0600).");
        } catch (FileAlreadyExistsException e) {
            // Another process created it first: use theirs.
        } catch (UnsupportedOperationException e) {
            throw noPosix(path);
        } catch (IOException e) {
            throw new MasterKeyUnavailable("cannot create the master key file " + path, e);
        } finally {
            Arrays.fill(json, (byte) 0);
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // A leftover 0600 temporary file in a 0700 directory; harmless.
                }
            }
        }
    }

    private static Aead read(Path path) throws MasterKeyUnavailable {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            throw noPosix(path);
        } catch (NoSuchFileException e) {
            throw new MasterKeyUnavailable("the master key file " + path + " does not exist");
        } catch (IOException e) {
            throw new MasterKeyUnavailable("cannot read the permissions of the master key file " + path, e);
        }
        if (!attributes.isRegularFile()) {
            throw new MasterKeyUnavailable("the master key file " + path + " is not a regular file");
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new MasterKeyUnavailable("refusing the master key file " + path + ": its permissions are "
                    + PosixFilePermissions.toString(permissions) + ", but it must be accessible by its owner only;"
                    + " run: chmod 600 " + path);
        }
        if (attributes.size() > MAX_FILE_SIZE) {
            throw new MasterKeyUnavailable("the master key file " + path + " is too large to be a Tink keyset");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new MasterKeyUnavailable("cannot read the master key file " + path, e);
        }
        try {
            KeysetHandle keyset = TinkJsonProtoKeysetFormat.parseKeyset(
                    new String(bytes, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get());
            return TinkRuntime.aead(keyset);
        } catch (GeneralSecurityException | RuntimeException e) {
            // No cause: a parser's message could quote the file, and the file is the key.
            throw new MasterKeyUnavailable("the master key file " + path + " is not a Tink AEAD keyset in JSON");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static MasterKeyUnavailable noPosix(Path path) {
        return new MasterKeyUnavailable("cannot check owner-only permissions of " + path
                + ": the file system has no POSIX permissions; use a KMS key URI instead");
    }
}
