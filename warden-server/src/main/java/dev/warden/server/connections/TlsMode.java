package dev.warden.server.connections;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Encryption in transit to a warehouse. The default is {@link #VERIFY_FULL}: encrypted, with
 * the server's certificate checked against the CA bundle (or the JVM's trust store) and its name
 * against the host. Weaker modes must be chosen explicitly, and {@link #DISABLE} is refused for
 * hosts outside loopback unless the deployment allows it.
 */
public enum TlsMode {
    DISABLE("disable"),
    /** Encrypted, but the certificate is not checked: protects against eavesdropping only. */
    REQUIRE("require"),
    VERIFY_CA("verify-ca"),
    VERIFY_FULL("verify-full");

    private final String wire;

    TlsMode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static TlsMode fromWire(String value) {
        for (TlsMode m : values()) {
            if (m.wire.equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("tls_mode must be one of disable, require, verify-ca, verify-full");
    }
}
