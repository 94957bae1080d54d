package dev.warden.server.query.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.warden.crypto.SealedDataUnreadable;
import dev.warden.crypto.StoredFormat;
import dev.warden.server.access.OrgId;
import dev.warden.server.keys.OrgKeys;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The result cache: an in-memory tier and an optional on-disk tier, both holding only ciphertext
 * sealed with the org's {@code CUSTOMER_DATA} keyset, so neither a memory dump nor the disk holds
 * a result in clear.
 *
 * <p>An entry is found only under the org and key it was stored with: its file name is a hash of
 * both, and its ciphertext is bound (associated data) to the org and to the record
 * {@code cache:<hex SHA-256 of the key>}; a ciphertext moved to another org or key does not open
 * and is treated as a miss. The sealed plaintext is the expiry (8 bytes, epoch milliseconds)
 * followed by the {@link ResultCodec} bytes, so an expiry edited in a file's clear header is
 * noticed. Nothing here ever fails a query: a sealing, disk or decoding failure is a miss (on get)
 * or a result not kept (on put), logged without values.
 *
 * <p>Memory is bounded by the total ciphertext bytes ({@code warden.cache.memory-bytes}, default
 * 256 MiB); the disk tier ({@code warden.cache.disk-enabled}, default on, under
 * {@code ${warden.data-dir}/cache}) by the total file bytes ({@code warden.cache.disk-bytes},
 * default 1 GiB), oldest entries deleted first. File format: {@link CacheFiles}.
 */
@Component
final class EncryptedResultCache implements ResultCache {
    private static final Logger LOG = LoggerFactory.getLogger(EncryptedResultCache.class);
    private static final int EXPIRY_BYTES = 8;
    /** Caffeine caps expiry at about 146 years; stay well below. */
    private static final long MAX_TTL_MILLIS = Duration.ofDays(365L * 100).toMillis();
    private static final HexFormat HEX = HexFormat.of();

    /** Where one entry lives: its org, its file name and its sealing record. */
    record Names(String orgDir, String name, String record) {
    }

    private record Slot(OrgId org, String name) {
    }

    private final OrgSealing sealing;
    private final Clock clock;
    private final Cache<Slot, CacheFiles.Entry> memory;
    private final Optional<CacheFiles> disk;
    private final int maxPlaintextBytes;

    @Autowired
    EncryptedResultCache(OrgKeys keys, Clock clock, @Value("${warden.data-dir}") String dataDir,
            @Value("${warden.cache.memory-bytes:268435456}") long memoryBytes,
            @Value("${warden.cache.disk-enabled:true}") boolean diskEnabled,
            @Value("${warden.cache.disk-bytes:1073741824}") long diskBytes) {
        this(OrgSealing.of(keys), clock, memoryBytes,
                diskEnabled ? Optional.of(Path.of(dataDir).resolve("cache")) : Optional.empty(), diskBytes);
    }

    EncryptedResultCache(OrgSealing sealing, Clock clock, long memoryBytes, Optional<Path> diskRoot, long diskBytes) {
        if (memoryBytes < 0 || diskBytes < 0) {
            throw new IllegalArgumentException("cache sizes must not be negative");
        }
        this.sealing = Objects.requireNonNull(sealing, "sealing is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.disk = diskRoot.map(root -> new CacheFiles(root, diskBytes, clock));
        this.memory = Caffeine.newBuilder()
                .maximumWeight(memoryBytes)
                .weigher((Slot slot, CacheFiles.Entry entry) -> entry.sealed().length)
                .expireAfter(new UntilExpiry())
                // Caffeine asks for nanoseconds; the cache's clock decides, so tests move time instead of sleeping.
                .ticker(() -> clock.millis() * 1_000_000L)
                // Eviction on the calling thread: the bound holds when put returns.
                .executor(Runnable::run)
                .build();
        long largestTier = Math.max(memoryBytes, disk.isPresent() ? diskBytes - CacheFiles.HEADER_BYTES : 0);
        this.maxPlaintextBytes = (int) Math.max(0, Math.min(largestTier, Integer.MAX_VALUE - 1024)
                - StoredFormat.SEALED_OVERHEAD - EXPIRY_BYTES);
    }

    private final class UntilExpiry implements Expiry<Slot, CacheFiles.Entry> {
        @Override
        public long expireAfterCreate(Slot slot, CacheFiles.Entry entry, long currentTime) {
            return Math.max(0, entry.expiresAtMillis() - clock.millis()) * 1_000_000L;
        }

        @Override
        public long expireAfterUpdate(Slot slot, CacheFiles.Entry entry, long currentTime, long currentDuration) {
            return expireAfterCreate(slot, entry, currentTime);
        }

        @Override
        public long expireAfterRead(Slot slot, CacheFiles.Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    @Override
    public Optional<CachedResult> get(OrgId org, String key) {
        Objects.requireNonNull(org, "org is null");
        Objects.requireNonNull(key, "key is null");
        try {
            Names names = names(org, key);
            Slot slot = new Slot(org, names.name());
            CacheFiles.Entry inMemory = memory.getIfPresent(slot);
            if (inMemory != null) {
                Optional<CachedResult> result = open(org, names.record(), inMemory);
                if (result.isPresent()) {
                    return result;
                }
                memory.asMap().remove(slot, inMemory);
            }
            if (disk.isEmpty()) {
                return Optional.empty();
            }
            Optional<CacheFiles.Entry> onDisk = disk.get().read(names.orgDir(), names.name());
            if (onDisk.isEmpty()) {
                return Optional.empty();
            }
            Optional<CachedResult> result = open(org, names.record(), onDisk.get());
            if (result.isPresent()) {
                memory.put(slot, onDisk.get());
            } else {
                disk.get().delete(names.orgDir(), names.name());
            }
            return result;
        } catch (RuntimeException e) {
            LOG.warn("result cache: lookup failed, treated as a miss ({})", e.getClass().getName());
            return Optional.empty();
        }
    }

    private Optional<CachedResult> open(OrgId org, String record, CacheFiles.Entry entry) {
        if (entry.expiresAtMillis() <= clock.millis()) {
            return Optional.empty();
        }
        byte[] plaintext;
        try {
            plaintext = sealing.open(org, entry.sealed(), record);
        } catch (SealedDataUnreadable e) {
            LOG.warn("result cache: an entry did not open (moved, tampered with or under an unknown key) and was dropped");
            return Optional.empty();
        }
        try {
            if (plaintext.length < EXPIRY_BYTES
                    || ByteBuffer.wrap(plaintext).getLong() != entry.expiresAtMillis()) {
                LOG.warn("result cache: an entry's expiry does not match its sealed expiry and was dropped");
                return Optional.empty();
            }
            return Optional.of(ResultCodec.decode(Arrays.copyOfRange(plaintext, EXPIRY_BYTES, plaintext.length)));
        } catch (ResultCodec.Unreadable e) {
            LOG.warn("result cache: an entry did not decode and was dropped ({})", e.getMessage());
            return Optional.empty();
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public void put(OrgId org, String key, CachedResult result, Duration ttl) {
        Objects.requireNonNull(org, "org is null");
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(result, "result is null");
        Objects.requireNonNull(ttl, "ttl is null");
        if (ttl.isNegative() || ttl.isZero()) {
            return;
        }
        byte[] plaintext = null;
        try {
            Names names = names(org, key);
            long ttlMillis = ttl.compareTo(Duration.ofMillis(MAX_TTL_MILLIS)) > 0 ? MAX_TTL_MILLIS : ttl.toMillis();
            long expiresAt = clock.millis() + Math.max(1, ttlMillis);
            byte[] encoded = ResultCodec.encode(result, maxPlaintextBytes);
            plaintext = ByteBuffer.allocate(EXPIRY_BYTES + encoded.length).putLong(expiresAt).put(encoded).array();
            Arrays.fill(encoded, (byte) 0);
            CacheFiles.Entry entry = new CacheFiles.Entry(expiresAt, sealing.seal(org, plaintext, names.record()));
            memory.put(new Slot(org, names.name()), entry);
            disk.ifPresent(files -> files.write(names.orgDir(), names.name(), entry));
        } catch (IllegalArgumentException e) {
            // Too large for the bounds, or a value the codec does not carry; the message names no value.
            LOG.debug("result cache: result not kept: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("result cache: storing failed, result not kept ({})", e.getClass().getName());
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    @Override
    public void evictOrg(OrgId org) {
        Objects.requireNonNull(org, "org is null");
        memory.asMap().keySet().removeIf(slot -> slot.org().equals(org));
        disk.ifPresent(files -> files.deleteOrg(orgDirectory(org)));
    }

    /**
     * File names and the sealing record are hashes: the key holds SQL text and bind values (which
     * may be attribute values), and the record must be short printable ASCII.
     */
    static Names names(OrgId org, String key) {
        return new Names(orgDirectory(org), sha256Hex(org + "/" + key), "cache:" + sha256Hex(key));
    }

    static String orgDirectory(OrgId org) {
        return sha256Hex(org.toString());
    }

    /**
     * Hashes the string's UTF-16 code units exactly. Not {@code getBytes(UTF_8)}: that turns every
     * lone surrogate into '?', so two keys differing only there (say, in a bind value) would share an entry.
     */
    private static String sha256Hex(String text) {
        ByteBuffer units = ByteBuffer.allocate(text.length() * 2);
        units.asCharBuffer().put(text);
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(units.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    // For tests: what the tiers hold.

    long memoryBytesUsed() {
        memory.cleanUp();
        return memory.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    List<byte[]> memoryCiphertexts() {
        return memory.asMap().values().stream().map(CacheFiles.Entry::sealed).toList();
    }

    Optional<CacheFiles> disk() {
        return disk;
    }
}
