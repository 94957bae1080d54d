package dev.warden.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No toString and no failure message carries key material or sealed bytes. */
class ToStringTest {
    @TempDir
    Path temp;

    @Test
    void noTypeLeaksKeyBytes() throws Exception {
        KekMasterKey master = TestKeys.inMemoryMasterKey();
        Keyring keyring = Keyring.under(master);
        WrappedKeyset data = keyring.rotate("acme", KeyPurpose.CUSTOMER_DATA, keyring.create("acme", KeyPurpose.CUSTOMER_DATA));
        WrappedKeyset credentials = keyring.create("acme", KeyPurpose.CUSTOMER_CREDENTIALS);
        DataSealer dataSealer = keyring.dataSealer("acme", data);
        byte[] sealed = dataSealer.seal("row".getBytes(UTF_8), "r");
        MasterKey local = MasterKey.fromLocalFile(temp.resolve("master.json"));

        List<Object> objects = List.of(master, local, keyring, Keyring.under(local), data, credentials, dataSealer,
                keyring.credentialSealer("acme", credentials),
                keyring.credentialOpener("acme", credentials, CredentialAccess.get()),
                CredentialAccess.get(), KeyPurpose.CUSTOMER_DATA,
                SealingTest.catchUnreadable(() -> dataSealer.open(sealed, "other")));

        List<byte[]> secrets = new ArrayList<>();
        secrets.addAll(TestKeys.rawKeyBytes(master, "acme", KeyPurpose.CUSTOMER_DATA, data));
        secrets.addAll(TestKeys.rawKeyBytes(master, "acme", KeyPurpose.CUSTOMER_CREDENTIALS, credentials));
        secrets.add(data.toBytes());
        secrets.add(sealed);
        String localFile = Files.readString(temp.resolve("master.json"));
        String localKeyValue = localFile.replaceAll("(?s).*\"value\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertThat(localKeyValue).isNotEqualTo(localFile).hasSizeGreaterThan(40);

        for (Object object : objects) {
            String text = object.toString();
            for (byte[] secret : secrets) {
                assertThat(text).doesNotContainIgnoringCase(HexFormat.of().formatHex(secret).substring(0, 16))
                        .doesNotContain(Base64.getEncoder().encodeToString(secret).substring(0, 12))
                        .doesNotContain(new String(secret, UTF_8).length() > 8
                                ? new String(secret, UTF_8) : "\u0000never\u0000");
            }
            assertThat(text).doesNotContain(localKeyValue.substring(0, 12)).doesNotContain("[B@");
        }
        assertThat(data.toString()).matches("WrappedKeyset\\[format=1, \\d+ bytes]");
        assertThat(dataSealer.toString()).isEqualTo("DataSealer[org=acme, purpose=CUSTOMER_DATA, keys=2]");
    }
}
