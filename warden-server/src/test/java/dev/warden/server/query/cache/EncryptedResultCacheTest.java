package dev.warden.server.query.cache;

import static dev.warden.server.query.cache.ResultCodecTest.assertSame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.warden.crypto.StoredFormat;
import dev.warden.server.access.OrgId;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedResultCacheTest {
    private static final long MIB = 1 << 20;
    private static final Duration TTL = Duration.ofHours(6);
    private static final String CANARY = "PLAINTEXT-CANARY-4711";
    private static final long CANARY_NUMBER = 987_654_321_123L;
    private static final String CANARY_DECIMAL = "31415926.5358979";

    @TempDir
    Path tmp;

    private TestSealing sealing;
    private MovableClock clock;
    private Path cacheDir;
    private final OrgId acme = OrgId.random();
    private final OrgId globex = OrgId.random();

    @BeforeEach
    void setUp() throws Exception {
        sealing = new TestSealing(tmp);
        clock = new MovableClock(Instant.parse("2026-11-27T12:00:00Z"));
        cacheDir = tmp.resolve("data").resolve("cache");
    }

    private EncryptedResultCache memoryOnly() {
        return new EncryptedResultCache(sealing, clock, 256 * MIB, Optional.empty(), 0);
    }

    /** Memory tier of zero bytes: every hit must come from disk. */
    private EncryptedResultCache diskOnly() {
        return new EncryptedResultCache(sealing, clock, 0, Optional.of(cacheDir), 1024 * MIB);
    }

    private EncryptedResultCache bothTiers() {
        return new EncryptedResultCache(sealing, clock, 256 * MIB, Optional.of(cacheDir), 1024 * MIB);
    }

    private static CachedResult result(String text) {
        return new CachedResult(List.of("region", "orders", "revenue", "day", "at", "note"),
                List.of(new Object[] {text, CANARY_NUMBER, new BigDecimal(CANARY_DECIMAL), LocalDate.of(2026, 1, 31),
                                OffsetDateTime.of(2026, 1, 31, 8, 0, 0, 0, ZoneOffset.ofHours(2)), null},
                        new Object[] {"EMEA ✓", -3L, new BigDecimal("1234.5000"), null, null, true}),
                false);
    }

    private List<Path> files() throws IOException {
        if (!Files.exists(cacheDir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(cacheDir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private Path fileOf(OrgId org, String key) {
        EncryptedResultCache.Names names = EncryptedResultCache.names(org, key);
        return cacheDir.resolve(names.orgDir()).resolve(names.name());
    }

    private long bytesOnDisk() throws IOException {
        long total = 0;
        for (Path file : files()) {
            total += Files.size(file);
        }
        return total;
    }

    @Test
    void roundTripThroughMemory() {
        EncryptedResultCache cache = memoryOnly();
        cache.put(acme, "k1", result(CANARY), TTL);

        assertSame(cache.get(acme, "k1").orElseThrow(), result(CANARY));
        assertThat(cache.get(acme, "k2")).isEmpty();
    }

    @Test
    void roundTripThroughDiskAloneAndAHitIsPromotedToMemory() throws IOException {
        diskOnly().put(acme, "k1", result(CANARY), TTL);
        assertThat(files()).containsExactly(fileOf(acme, "k1"));

        EncryptedResultCache fresh = bothTiers();
        assertSame(fresh.get(acme, "k1").orElseThrow(), result(CANARY));

        // Promoted: found again with the file gone.
        Files.delete(fileOf(acme, "k1"));
        assertSame(fresh.get(acme, "k1").orElseThrow(), result(CANARY));
        assertThat(bothTiers().get(acme, "k1")).isEmpty();
    }

    @Test
    void aMissInMemoryFallsThroughToDisk() {
        EncryptedResultCache cache = new EncryptedResultCache(sealing, clock, 0, Optional.of(cacheDir), 1024 * MIB);
        cache.put(acme, "k1", result(CANARY), TTL);
        assertThat(cache.memoryBytesUsed()).isZero();
        assertSame(cache.get(acme, "k1").orElseThrow(), result(CANARY));
    }

    @Test
    void entriesExpireAfterTheirTtlInBothTiers() throws IOException {
        EncryptedResultCache cache = bothTiers();
        cache.put(acme, "short", result(CANARY), Duration.ofMinutes(10));
        cache.put(acme, "long", result(CANARY), Duration.ofHours(1));

        clock.advance(Duration.ofMinutes(9));
        assertThat(cache.get(acme, "short")).isPresent();
        assertThat(diskOnly().get(acme, "short")).isPresent();

        clock.advance(Duration.ofMinutes(1));
        assertThat(cache.get(acme, "short")).isEmpty();
        assertThat(fileOf(acme, "short")).doesNotExist(); // expired file deleted on the miss
        assertThat(cache.get(acme, "long")).isPresent();

        clock.advance(Duration.ofMinutes(51));
        assertThat(diskOnly().get(acme, "long")).isEmpty();
        assertThat(fileOf(acme, "long")).doesNotExist();
        assertThat(cache.get(acme, "long")).isEmpty();
    }

    @Test
    void aZeroOrNegativeTtlKeepsNothing() throws IOException {
        EncryptedResultCache cache = bothTiers();
        cache.put(acme, "k", result(CANARY), Duration.ZERO);
        cache.put(acme, "k", result(CANARY), Duration.ofSeconds(-1));
        assertThat(cache.get(acme, "k")).isEmpty();
        assertThat(files()).isEmpty();
    }

    @Test
    void anEntryNeverCrossesOrgs() {
        EncryptedResultCache cache = bothTiers();
        cache.put(acme, "same key", result(CANARY), TTL);

        assertThat(cache.get(globex, "same key")).isEmpty();
        assertThat(diskOnly().get(globex, "same key")).isEmpty();
        assertThat(fileOf(globex, "same key")).isNotEqualTo(fileOf(acme, "same key")).doesNotExist();
        assertThat(cache.get(acme, "same key")).isPresent();
    }

    @Test
    void aFileCopiedToAnotherOrgsNameDoesNotOpenAndIsDeleted() throws IOException {
        diskOnly().put(acme, "k", result(CANARY), TTL);
        diskOnly().put(globex, "other", result("globex row"), TTL); // globex's keys and directory exist
        Path stolen = fileOf(globex, "k");
        Files.createDirectories(stolen.getParent());
        Files.copy(fileOf(acme, "k"), stolen);

        assertThat(bothTiers().get(globex, "k")).isEmpty();
        assertThat(stolen).doesNotExist();
        assertThat(bothTiers().get(acme, "k")).isPresent();
    }

    @Test
    void aFileCopiedToAnotherKeyOfTheSameOrgDoesNotOpen() throws IOException {
        diskOnly().put(acme, "person-a", result(CANARY), TTL);
        Files.copy(fileOf(acme, "person-a"), fileOf(acme, "person-b"));

        assertThat(bothTiers().get(acme, "person-b")).isEmpty();
        assertThat(fileOf(acme, "person-b")).doesNotExist();
    }

    @Test
    void keysThatDifferOnlyInALoneSurrogateDoNotShareAnEntry() {
        EncryptedResultCache cache = bothTiers();
        cache.put(acme, "region=\uD800", result(CANARY), TTL);
        assertThat(cache.get(acme, "region=\uD801")).isEmpty();
        assertThat(cache.get(acme, "region=?")).isEmpty();
        assertThat(cache.get(acme, "region=\uD800")).isPresent();
    }

    @Test
    void theFilesHoldNoPlaintextOfAKnownValueAndNoKey() throws IOException {
        EncryptedResultCache cache = bothTiers();
        String key = "KEY-CANARY-SQL select region where region = 'EMEA'";
        cache.put(acme, key, result(CANARY), TTL);
        cache.put(globex, key + "2", result(CANARY + " again"), TTL);

        List<byte[]> forbidden = List.of(CANARY.getBytes(StandardCharsets.UTF_8), CANARY.getBytes(StandardCharsets.UTF_16BE),
                CANARY.getBytes(StandardCharsets.UTF_16LE), Long.toString(CANARY_NUMBER).getBytes(StandardCharsets.US_ASCII),
                CANARY_DECIMAL.getBytes(StandardCharsets.US_ASCII), "KEY-CANARY".getBytes(StandardCharsets.UTF_8),
                ByteBuffer.allocate(8).putLong(CANARY_NUMBER).array());
        List<Path> files = files();
        assertThat(files).hasSize(2);
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            for (byte[] needle : forbidden) {
                assertThat(indexOf(bytes, needle)).as("plaintext in %s", file).isEqualTo(-1);
            }
            assertThat(file.getFileName().toString()).matches("[0-9a-f]{64}");
            assertThat(file.getParent().getFileName().toString()).matches("[0-9a-f]{64}");
        }
        // The memory tier too holds only ciphertext.
        assertThat(cache.memoryCiphertexts()).hasSize(2).allSatisfy(sealed -> {
            for (byte[] needle : forbidden) {
                assertThat(indexOf(sealed, needle)).isEqualTo(-1);
            }
        });
        // And the canary is really there once decrypted (so the search above could have found it).
        assertThat(cache.get(acme, key).orElseThrow().rows().get(0)[0]).isEqualTo(CANARY);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void theFileHasTheDocumentedHeaderAndOwnerOnlyPermissions() throws IOException {
        diskOnly().put(acme, "k", result(CANARY), Duration.ofMinutes(5));
        Path file = fileOf(acme, "k");
        byte[] bytes = Files.readAllBytes(file);

        assertThat(bytes[0]).isEqualTo(CacheFiles.FILE_VERSION);
        assertThat(ByteBuffer.wrap(bytes, 1, 8).getLong()).isEqualTo(clock.millis() + Duration.ofMinutes(5).toMillis());
        assertThat(bytes[CacheFiles.HEADER_BYTES]).isEqualTo(StoredFormat.SEALED_VERSION);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDir))).isEqualTo("rwx------");
        try (Stream<Path> list = Files.list(file.getParent())) {
            assertThat(list).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void aTamperedFileIsAMissAndIsDeleted() throws IOException {
        Path file = fileOf(acme, "k");
        for (int position : new int[] {CacheFiles.HEADER_BYTES + 20, -1}) {
            diskOnly().put(acme, "k", result(CANARY), TTL);
            byte[] bytes = Files.readAllBytes(file);
            int at = position >= 0 ? position : bytes.length - 1;
            bytes[at] ^= 0x01;
            Files.write(file, bytes);

            assertThat(bothTiers().get(acme, "k")).isEmpty();
            assertThat(file).doesNotExist();
        }
    }

    @Test
    void anExpiryExtendedInTheClearHeaderIsNoticed() throws IOException {
        diskOnly().put(acme, "k", result(CANARY), Duration.ofMinutes(1));
        Path file = fileOf(acme, "k");
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putLong(1, clock.millis() + Duration.ofDays(30).toMillis());
        Files.write(file, bytes);
        clock.advance(Duration.ofMinutes(2));

        assertThat(bothTiers().get(acme, "k")).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void truncatedGarbageAndUnknownVersionFilesAreMissesAndDeleted() throws IOException {
        diskOnly().put(acme, "k", result(CANARY), TTL);
        Path file = fileOf(acme, "k");
        byte[] good = Files.readAllBytes(file);

        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[0]);
        bad.add(Arrays.copyOf(good, good.length / 2));
        bad.add(Arrays.copyOf(good, CacheFiles.HEADER_BYTES + 10));
        byte[] version = good.clone();
        version[0] = 0x7f;
        bad.add(version);
        bad.add("not a cache entry at all, just some text long enough".getBytes(StandardCharsets.US_ASCII));
        for (byte[] content : bad) {
            Files.write(file, content);
            assertThat(bothTiers().get(acme, "k")).isEmpty();
            assertThat(file).doesNotExist();
        }
    }

    @Test
    void aBrokenDiskNeverFailsAQueryAndMemoryKeepsWorking() throws IOException {
        Path notADirectory = tmp.resolve("plain-file");
        Files.writeString(notADirectory, "x");
        EncryptedResultCache cache = new EncryptedResultCache(sealing, clock, 256 * MIB,
                Optional.of(notADirectory.resolve("cache")), 1024 * MIB);

        assertThatCode(() -> cache.put(acme, "k", result(CANARY), TTL)).doesNotThrowAnyException();
        assertSame(cache.get(acme, "k").orElseThrow(), result(CANARY));
        assertThatCode(() -> cache.evictOrg(acme)).doesNotThrowAnyException();
        assertThat(cache.get(acme, "k")).isEmpty();

        EncryptedResultCache rootIsAFile = new EncryptedResultCache(sealing, clock, 256 * MIB,
                Optional.of(notADirectory), 1024 * MIB);
        assertThatCode(() -> rootIsAFile.put(acme, "k", result(CANARY), TTL)).doesNotThrowAnyException();
        assertThat(rootIsAFile.get(acme, "k")).isPresent();
        assertThat(rootIsAFile.get(acme, "other")).isEmpty();
        assertThat(Files.readString(notADirectory)).isEqualTo("x");
    }

    @Test
    void aFailingSealerIsAResultNotKeptAndAMiss() {
        OrgSealing broken = new OrgSealing() {
            @Override
            public byte[] seal(OrgId org, byte[] plaintext, String record) {
                throw new IllegalStateException("keys unavailable");
            }

            @Override
            public byte[] open(OrgId org, byte[] sealed, String record) {
                throw new IllegalStateException("keys unavailable");
            }
        };
        EncryptedResultCache cache = new EncryptedResultCache(broken, clock, MIB, Optional.of(cacheDir), MIB);
        assertThatCode(() -> cache.put(acme, "k", result(CANARY), TTL)).doesNotThrowAnyException();
        assertThat(cache.get(acme, "k")).isEmpty();
    }

    @Test
    void aResultTheCodecCannotCarryIsNotKeptAndDoesNotThrow() {
        EncryptedResultCache cache = bothTiers();
        CachedResult odd = new CachedResult(List.of("x"), List.<Object[]>of(new Object[] {42}), false);
        assertThatCode(() -> cache.put(acme, "k", odd, TTL)).doesNotThrowAnyException();
        assertThat(cache.get(acme, "k")).isEmpty();
    }

    @Test
    void evictOrgDropsBothTiersOfThatOrgOnly() throws IOException {
        EncryptedResultCache cache = bothTiers();
        cache.put(acme, "k1", result(CANARY), TTL);
        cache.put(acme, "k2", result(CANARY), TTL);
        cache.put(globex, "k1", result("globex"), TTL);

        cache.evictOrg(acme);

        assertThat(cache.get(acme, "k1")).isEmpty();
        assertThat(cache.get(acme, "k2")).isEmpty();
        assertThat(diskOnly().get(acme, "k1")).isEmpty();
        assertThat(files()).containsExactly(fileOf(globex, "k1"));
        assertThat(cache.get(globex, "k1")).isPresent();
        assertThat(diskOnly().get(globex, "k1")).isPresent();
        assertThat(cache.memoryCiphertexts()).hasSize(1);
    }

    private static CachedResult sized(int index, int bytes) {
        return new CachedResult(List.of("i", "pad"), List.<Object[]>of(new Object[] {(long) index, "p".repeat(bytes)}), false);
    }

    @Test
    void theMemoryTierStaysWithinItsBound() {
        long bound = 20_000;
        EncryptedResultCache cache = new EncryptedResultCache(sealing, clock, bound, Optional.empty(), 0);
        for (int i = 0; i < 60; i++) {
            cache.put(acme, "k" + i, sized(i, 1_000), TTL);
            assertThat(cache.memoryBytesUsed()).isLessThanOrEqualTo(bound);
        }
        assertThat(cache.memoryCiphertexts()).hasSizeBetween(10, 20);
        long kept = 0;
        for (int i = 0; i < 60; i++) {
            kept += cache.get(acme, "k" + i).isPresent() ? 1 : 0;
        }
        assertThat(kept).isEqualTo(cache.memoryCiphertexts().size());
    }

    @Test
    void theDiskTierStaysWithinItsBoundDeletingTheOldestFirst() throws IOException {
        long bound = 20_000;
        EncryptedResultCache cache = new EncryptedResultCache(sealing, clock, 0, Optional.of(cacheDir), bound);
        for (int i = 0; i < 60; i++) {
            cache.put(i % 2 == 0 ? acme : globex, "k" + i, sized(i, 1_000), TTL);
            clock.advance(Duration.ofSeconds(1));
            assertThat(bytesOnDisk()).isLessThanOrEqualTo(bound);
            assertThat(cache.disk().orElseThrow().usedBytes()).isEqualTo(bytesOnDisk());
        }
        int kept = files().size();
        assertThat(kept).isBetween(10, 20);
        // Exactly the newest `kept` entries survive.
        for (int i = 0; i < 60; i++) {
            assertThat(cache.get(i % 2 == 0 ? acme : globex, "k" + i).isPresent()).as("entry %d", i).isEqualTo(i >= 60 - kept);
        }
    }

    @Test
    void aFreshInstanceCountsWhatIsAlreadyOnDiskAndSweepsExpiredFiles() throws IOException {
        long bound = 20_000;
        EncryptedResultCache first = new EncryptedResultCache(sealing, clock, 0, Optional.of(cacheDir), bound);
        for (int i = 0; i < 15; i++) {
            first.put(acme, "old" + i, sized(i, 1_000), Duration.ofMinutes(1));
            clock.advance(Duration.ofMillis(10));
        }
        clock.advance(Duration.ofMinutes(2));
        EncryptedResultCache second = new EncryptedResultCache(sealing, clock, 0, Optional.of(cacheDir), bound);
        second.put(acme, "new", sized(99, 1_000), TTL);

        assertThat(files()).containsExactly(fileOf(acme, "new"));
        assertThat(second.disk().orElseThrow().usedBytes()).isEqualTo(bytesOnDisk());
    }

    @Test
    void anEntryLargerThanATierIsNotKeptThereAndNothingThrows() throws IOException {
        EncryptedResultCache cache = new EncryptedResultCache(sealing, clock, 5_000, Optional.of(cacheDir), 5_000);
        assertThatCode(() -> cache.put(acme, "big", sized(1, 50_000), TTL)).doesNotThrowAnyException();
        assertThat(cache.get(acme, "big")).isEmpty();
        assertThat(files()).isEmpty();
        assertThat(cache.memoryBytesUsed()).isZero();
    }

    @Test
    void concurrentPutsAndGetsOfTwoOrgsNeverMixAndNeverThrow() throws Exception {
        EncryptedResultCache cache = new EncryptedResultCache(sealing, clock, 64 * 1024, Optional.of(cacheDir), 64 * 1024);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                OrgId org = t % 2 == 0 ? acme : globex;
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        String key = "k" + (i % 20);
                        if ((i + thread) % 3 == 0) {
                            cache.put(org, key, result(org + "|" + key), TTL);
                        } else {
                            cache.get(org, key).ifPresent(found ->
                                    assertThat(found.rows().get(0)[0]).isEqualTo(org + "|" + key));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        assertThat(bytesOnDisk()).isLessThanOrEqualTo(64 * 1024);
        assertThat(cache.get(acme, "k1").orElseThrow().rows().get(0)[0]).isEqualTo(acme + "|k1");
    }
}
