package dev.warden.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Ordinary callers may seal credentials but not open them. */
class CredentialAccessTest {
    private final Keyring keyring = TestKeys.keyring();

    @Test
    void theCredentialSealerHasNoWayToOpen() throws Exception {
        CredentialSealer sealer = keyring.credentialSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_CREDENTIALS));

        assertThat(sealer).isNotInstanceOf(CredentialOpener.class).isNotInstanceOf(DataSealer.class);
        assertThat(Arrays.stream(CredentialSealer.class.getMethods()).map(Method::getName))
                .containsExactlyInAnyOrder("seal", "reseal", "isUnderPrimaryKey");
        // Nothing public on the implementation beyond the interface (and Object).
        assertThat(Arrays.stream(sealer.getClass().getDeclaredMethods())
                        .filter(m -> Modifier.isPublic(m.getModifiers()))
                        .map(Method::getName))
                .containsExactlyInAnyOrder("seal", "reseal", "isUnderPrimaryKey", "toString");
        assertThat(Modifier.isPublic(sealer.getClass().getModifiers())).isFalse();
    }

    @Test
    void openingCredentialsTakesTheAccessToken() throws Exception {
        WrappedKeyset keys = keyring.create("acme", KeyPurpose.CUSTOMER_CREDENTIALS);

        assertThatThrownBy(() -> keyring.credentialOpener("acme", keys, null))
                .isInstanceOf(NullPointerException.class);
        assertThat(keyring.credentialOpener("acme", keys, CredentialAccess.get())).isNotNull();
        assertThat(CredentialAccess.class.getConstructors()).isEmpty();
    }

    @Test
    void aCredentialsKeysetCannotBeOpenedAsData() throws Exception {
        WrappedKeyset credentials = keyring.create("acme", KeyPurpose.CUSTOMER_CREDENTIALS);
        WrappedKeyset data = keyring.create("acme", KeyPurpose.CUSTOMER_DATA);
        byte[] secret = keyring.credentialSealer("acme", credentials).seal("pw".getBytes(UTF_8), "c:1");

        // The data sealer, which anyone may hold, refuses both the keyset and the ciphertext.
        SealingTest.assertUnreadable(() -> {
            keyring.dataSealer("acme", credentials);
            return null;
        });
        SealingTest.assertUnreadable(() -> keyring.dataSealer("acme", data).open(secret, "c:1"));
    }
}
