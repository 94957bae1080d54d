package dev.warden.server.keys;

/**
 * An org's keys could not be used: the master key (KMS) is unreachable, or a stored keyset does
 * not load. A dependency failure (503), never the caller's fault; carries no key material.
 */
public final class KeysUnavailable extends RuntimeException {
    public KeysUnavailable(Exception cause) {
        super("the org's keys are unavailable", cause);
    }
}
