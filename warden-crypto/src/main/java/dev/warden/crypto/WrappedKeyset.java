package dev.warden.crypto;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * An org keyset encrypted by the master key, as the caller stores it (a {@code bytea} column).
 * Opaque: its only use is to be handed back to {@link Keyring}, which opens it only for the org
 * and purpose it was made for. Format in {@link StoredFormat}.
 *
 * <p>Immutable; the bytes are copied in and out. {@code toString} shows the format version and
 * length, never the bytes.
 */
public final class WrappedKeyset {
    private final byte[] bytes;

    private WrappedKeyset(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps bytes read from storage. Nothing is checked until {@link Keyring} opens it. */
    public static WrappedKeyset fromBytes(byte[] bytes) {
        return new WrappedKeyset(requireNonNull(bytes, "bytes is null").clone());
    }

    static WrappedKeyset adopt(byte[] bytes) {
        return new WrappedKeyset(bytes);
    }

    /** The bytes to store. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedKeyset other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        String version = bytes.length == 0 ? "none" : Integer.toString(bytes[0] & 0xff);
        return "WrappedKeyset[format=" + version + ", " + bytes.length + " bytes]";
    }
}
