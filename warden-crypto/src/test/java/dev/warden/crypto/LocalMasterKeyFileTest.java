package dev.warden.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local master key file. Tests run as root, which reads any file whatever its mode, so these
 * check the permission bits themselves rather than rely on access being denied.
 */
class LocalMasterKeyFileTest {
    @TempDir
    Path temp;

    @Test
    void isCreatedOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        Path file = temp.resolve("keys/nested/master-key.json");

        MasterKey master = MasterKey.fromLocalFile(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("keys")))).isEqualTo("rwx------");
        assertThat(master.description()).isEqualTo("local file " + file.toAbsolutePath());
        assertThat(Files.readString(file)).contains("AesGcmKey");
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void isReusedOnTheNextStart() throws Exception {
        Path file = temp.resolve("master-key.json");
        Keyring first = Keyring.under(MasterKey.fromLocalFile(file));
        WrappedKeyset wrapped = first.create("acme", KeyPurpose.CUSTOMER_DATA);
        byte[] sealed = first.dataSealer("acme", wrapped).seal("row".getBytes(UTF_8), "r");
        String contents = Files.readString(file);

        Keyring second = Keyring.under(MasterKey.fromLocalFile(file));

        assertThat(Files.readString(file)).isEqualTo(contents);
        assertThat(second.dataSealer("acme", wrapped).open(sealed, "r")).isEqualTo("row".getBytes(UTF_8));
    }

    @Test
    void anotherFileIsAnotherKey() throws Exception {
        Keyring one = Keyring.under(MasterKey.fromLocalFile(temp.resolve("one.json")));
        Keyring two = Keyring.under(MasterKey.fromLocalFile(temp.resolve("two.json")));
        WrappedKeyset wrapped = one.create("acme", KeyPurpose.CUSTOMER_DATA);

        SealingTest.assertUnreadable(() -> {
            two.dataSealer("acme", wrapped);
            return null;
        });
    }

    @Test
    void loosePermissionsAreRefused() throws Exception {
        Path file = temp.resolve("master-key.json");
        MasterKey.fromLocalFile(file);

        for (String loose : new String[] {"rw-r-----", "rw----r--", "rw-rw-rw-", "rw-----w-", "rwx--x---", "r--r--r--"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(loose));
            assertThatThrownBy(() -> MasterKey.fromLocalFile(file))
                    .isInstanceOf(MasterKeyUnavailable.class)
                    .hasMessageContaining(loose)
                    .hasMessageContaining("chmod 600");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(MasterKey.fromLocalFile(file)).isNotNull();
    }

    @Test
    void aDirectoryOthersMayWriteIsRefused() throws Exception {
        Path directory = Files.createDirectory(temp.resolve("shared"));
        for (String loose : new String[] {"rwxrwx---", "rwx---rwx", "rwxrwxrwx", "rwx----w-"}) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(loose));
            assertThatThrownBy(() -> MasterKey.fromLocalFile(directory.resolve("master-key.json")))
                    .isInstanceOf(MasterKeyUnavailable.class)
                    .hasMessageContaining("replace the key file");
            assertThat(directory.resolve("master-key.json")).doesNotExist();
        }
        // Readable (but not writable) by others is fine for the directory: the file is what is secret.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        MasterKey.fromLocalFile(directory.resolve("master-key.json"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("master-key.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aFileThatIsNotAKeysetIsRefusedWithoutQuotingIt() throws Exception {
        Path file = temp.resolve("master-key.json");
        Files.writeString(file, "{\"not\": \"a keyset SENTINEL\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> MasterKey.fromLocalFile(file))
                .isInstanceOf(MasterKeyUnavailable.class)
                .hasMessageContaining("not a Tink AEAD keyset")
                .hasNoCause()
                .message().doesNotContain("SENTINEL");
    }

    @Test
    void aDirectoryIsRefused() throws Exception {
        Path directory = Files.createDirectory(temp.resolve("master-key.json"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> MasterKey.fromLocalFile(directory))
                .isInstanceOf(MasterKeyUnavailable.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void everyUseWarnsLoudly() throws Exception {
        Logger logger = Logger.getLogger(MasterKey.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            Path file = temp.resolve("master-key.json");
            MasterKey.fromLocalFile(file);
            MasterKey.fromLocalFile(file);
        } finally {
            logger.removeHandler(handler);
        }

        List<LogRecord> warnings = records.stream()
                .filter(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("development and single-node"))
                .toList();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0).getMessage()).contains("LOCAL master key", "KMS");
    }
}
