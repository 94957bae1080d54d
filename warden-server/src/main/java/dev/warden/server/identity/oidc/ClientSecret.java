package dev.warden.server.identity.oidc;

import com.nimbusds.oauth2.sdk.auth.Secret;
import java.util.Objects;

/**
 * An OIDC client secret, held opaquely: it is never part of a {@code toString}, an exception
 * message or an equality check. The only way out is {@link #toNimbusSecret()}, package-private
 * and used by the token exchange alone (DESIGN.md promise 3).
 */
public final class ClientSecret {
    private final char[] value;

    private ClientSecret(char[] value) {
        this.value = value;
    }

    /** Copies the characters; the caller may wipe its array afterwards. */
    public static ClientSecret of(char[] value) {
        Objects.requireNonNull(value, "value is null");
        if (value.length == 0) {
            throw new IllegalArgumentException("client secret is empty");
        }
        return new ClientSecret(value.clone());
    }

    public static ClientSecret of(String value) {
        Objects.requireNonNull(value, "value is null");
        return of(value.toCharArray());
    }

    /** A fresh Nimbus secret for one token request; the caller erases it when done. */
    Secret toNimbusSecret() {
        return new Secret(new String(value));
    }

    @Override
    public String toString() {
        return "ClientSecret[redacted]";
    }
}
