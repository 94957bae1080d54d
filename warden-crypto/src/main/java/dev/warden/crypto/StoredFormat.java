package dev.warden.crypto;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * The byte formats this module stores, and the associated data that binds them to their place.
 * Everything here is a stored contract: changing a value makes existing data unreadable, so a
 * new format gets a new version byte instead.
 *
 * <h2>Sealed value (output of {@code seal}, input of {@code open})</h2>
 * <pre>
 * offset  length  content
 * 0       1       SEALED_VERSION (0x01)
 * 1       1       0x01: Tink output-prefix marker of a TINK key
 * 2       4       Tink key id of the key that sealed it, big-endian
 * 6       12      AES-GCM nonce (random)
 * 18      n       AES-256-GCM ciphertext of the n plaintext bytes
 * 18+n    16      AES-GCM tag
 * </pre>
 * Bytes 1 to the end are exactly Tink's AEAD output. Total length is
 * {@code n + SEALED_OVERHEAD}. Associated data (not stored, recomputed on open) is the UTF-8 of
 * {@code warden/v1/{org}/{purpose token}/{record}}, for example
 * {@code warden/v1/acme/customer_credentials/connection:42:password}.
 *
 * <h2>Wrapped keyset ({@link WrappedKeyset#toBytes()})</h2>
 * <pre>
 * offset  length  content
 * 0       1       WRAPPED_KEYSET_VERSION (0x01)
 * 1       rest    Tink EncryptedKeyset protobuf (TinkProtoKeysetFormat.serializeEncryptedKeyset):
 *                 the org keyset encrypted by the master key, plus Tink's cleartext
 *                 KeysetInfo (key ids, type URLs, status; no key material)
 * </pre>
 * The master key encrypts with associated data
 * {@code warden/v1/keyset/{org}/{purpose token}}.
 *
 * <h2>Names</h2>
 * An org id is 1 to {@value #MAX_ORG_LENGTH} printable ASCII characters (0x21 to 0x7e) without
 * {@code /}; a record is 1 to {@value #MAX_RECORD_LENGTH} printable ASCII characters and may
 * contain {@code /}. Because the org has no {@code /} and the purpose is one of a fixed set,
 * associated data decodes to exactly one (org, purpose, record).
 */
public final class StoredFormat {

    /** First byte of every sealed value. */
    public static final byte SEALED_VERSION = 0x01;
    /** First byte of every wrapped keyset. */
    public static final byte WRAPPED_KEYSET_VERSION = 0x01;
    /** Length of Tink's output prefix: marker byte 0x01 and a 4-byte key id. */
    public static final int TINK_PREFIX_LENGTH = 5;
    /** AES-GCM nonce length in Tink's AES-GCM output. */
    public static final int GCM_NONCE_LENGTH = 12;
    /** AES-GCM tag length. */
    public static final int GCM_TAG_LENGTH = 16;
    /** Bytes a sealed value adds to its plaintext: version, prefix, nonce, tag = 34. */
    public static final int SEALED_OVERHEAD = 1 + TINK_PREFIX_LENGTH + GCM_NONCE_LENGTH + GCM_TAG_LENGTH;
    /** Leading part of the associated data of every sealed value. */
    public static final String SEALED_ASSOCIATED_DATA_PREFIX = "warden/v1/";
    /** Leading part of the associated data under which the master key wraps a keyset. */
    public static final String KEYSET_ASSOCIATED_DATA_PREFIX = "warden/v1/keyset/";
    /** Longest org id. */
    public static final int MAX_ORG_LENGTH = 128;
    /** Longest record name. */
    public static final int MAX_RECORD_LENGTH = 512;

    private StoredFormat() {}

    /** {@code warden/v1/{org}/{purpose}/{record}} as bytes (ASCII, which is also its UTF-8). */
    static byte[] sealedAssociatedData(String org, KeyPurpose purpose, String record) {
        return (SEALED_ASSOCIATED_DATA_PREFIX + org + "/" + purpose.token() + "/" + record)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code warden/v1/keyset/{org}/{purpose}} as bytes (ASCII, which is also its UTF-8). */
    static byte[] keysetAssociatedData(String org, KeyPurpose purpose) {
        return (KEYSET_ASSOCIATED_DATA_PREFIX + org + "/" + purpose.token())
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Checks an org id; the message does not echo the value, which may come from a request. */
    static String checkOrg(String org) {
        requireNonNull(org, "org is null");
        if (!isPrintableAscii(org, MAX_ORG_LENGTH) || org.indexOf('/') >= 0) {
            throw new IllegalArgumentException(
                    "org id must be 1 to " + MAX_ORG_LENGTH + " printable ASCII characters without '/'");
        }
        return org;
    }

    /** Checks a record name; the message does not echo the value. */
    static String checkRecord(String record) {
        requireNonNull(record, "record is null");
        if (!isPrintableAscii(record, MAX_RECORD_LENGTH)) {
            throw new IllegalArgumentException(
                    "record must be 1 to " + MAX_RECORD_LENGTH + " printable ASCII characters");
        }
        return record;
    }

    private static boolean isPrintableAscii(String s, int maxLength) {
        if (s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
