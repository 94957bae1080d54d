package dev.warden.server.query.cache;

import dev.warden.crypto.StoredFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk tier: one file per entry, holding only ciphertext. It knows nothing of keys or
 * results; {@link EncryptedResultCache} hands it sealed bytes and names that are hashes.
 *
 * <p>Layout: {@code <root>/<org dir>/<entry name>}, both names 64 lowercase hex characters
 * (the caller's hashes), directories {@code 0700}, files {@code 0600}. An entry file:
 *
 * <pre>
 * offset  length  content
 * 0       1       FILE_VERSION = 0x01
 * 1       8       expiry, epoch milliseconds, big-endian (unauthenticated copy, for cheap misses and sweeps)
 * 9       n       sealed value (warden-crypto StoredFormat), n &gt;= 34
 * </pre>
 *
 * Files are written to a temporary file in the same directory ({@code .*.tmp}) and moved into
 * place atomically, so a reader sees a whole entry or none. Every failure of the file system is
 * logged (paths hold only hashes) and swallowed: the disk tier is an optimisation, never a reason
 * for a query to fail.
 */
final class CacheFiles {
    static final byte FILE_VERSION = 0x01;
    static final int HEADER_BYTES = 9;
    private static final int MIN_SEALED_BYTES = StoredFormat.SEALED_OVERHEAD;
    /** Once over the bound, delete down to this fraction of it, so sweeps do not run on every put. */
    private static final double LOW_WATERMARK = 0.9;
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(10);
    private static final Duration STALE_TEMP_FILE = Duration.ofHours(1);
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Logger LOG = LoggerFactory.getLogger(CacheFiles.class);

    record Entry(long expiresAtMillis, byte[] sealed) {
    }

    private final Path root;
    private final long maxBytes;
    private final Clock clock;
    private final AtomicLong usedBytes = new AtomicLong();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);

    CacheFiles(Path root, long maxBytes, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    Path root() {
        return root;
    }

    Path file(String orgDir, String name) {
        return root.resolve(orgDir).resolve(name);
    }

    /** The entry if its file exists, is well-formed and unexpired; a bad or expired file is deleted. */
    Optional<Entry> read(String orgDir, String name) {
        Path file = file(orgDir, name);
        try {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            long size = attributes.size();
            if (!attributes.isRegularFile() || size < HEADER_BYTES + MIN_SEALED_BYTES || size > maxBytes
                    || size > Integer.MAX_VALUE - 16) {
                delete(orgDir, name);
                return Optional.empty();
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes((int) size + 1);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            if (bytes.length != size || buffer.get() != FILE_VERSION) {
                delete(orgDir, name);
                return Optional.empty();
            }
            long expiresAt = buffer.getLong();
            if (expiresAt <= clock.millis()) {
                delete(orgDir, name);
                return Optional.empty();
            }
            byte[] sealed = new byte[buffer.remaining()];
            buffer.get(sealed);
            return Optional.of(new Entry(expiresAt, sealed));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // evicted or replaced between two calls
        } catch (IOException | RuntimeException e) {
            warn("reading", e);
            return Optional.empty();
        }
    }

    void write(String orgDir, String name, Entry entry) {
        long size = HEADER_BYTES + (long) entry.sealed().length;
        if (size > maxBytes) {
            return;
        }
        Path tmp = null;
        try {
            Path dir = directory(orgDir);
            Path target = dir.resolve(name);
            tmp = Files.createTempFile(dir, ".", ".tmp", fileAttributes());
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(ByteBuffer.allocate(HEADER_BYTES).put(FILE_VERSION).putLong(entry.expiresAtMillis()).array());
                out.write(entry.sealed());
            }
            // The cache's clock, not the file system's, decides what is oldest (and tests can move it).
            Files.setLastModifiedTime(tmp, FileTime.fromMillis(clock.millis()));
            long replaced = sizeOrZero(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            usedBytes.addAndGet(size - replaced);
        } catch (IOException | RuntimeException e) {
            warn("writing", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Swept later as a stale temporary file.
                }
            }
        }
        sweepIfDue();
    }

    void delete(String orgDir, String name) {
        Path file = file(orgDir, name);
        try {
            long size = sizeOrZero(file);
            if (Files.deleteIfExists(file)) {
                usedBytes.addAndGet(-size);
            }
        } catch (IOException | RuntimeException e) {
            warn("deleting", e);
        }
    }

    /** Deletes an org's directory and everything in it. */
    void deleteOrg(String orgDir) {
        Path dir = root.resolve(orgDir);
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    long size = sizeOrZero(file);
                    if (Files.deleteIfExists(file)) {
                        usedBytes.addAndGet(-size);
                    }
                }
            }
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // A put raced the eviction and wrote after the listing: that entry is newer than the eviction.
        } catch (IOException | RuntimeException e) {
            warn("evicting", e);
        }
    }

    /** Bytes of entry files as counted by this instance (exact after a sweep). */
    long usedBytes() {
        return usedBytes.get();
    }

    private void sweepIfDue() {
        long now = clock.millis();
        long last = lastSweep.get();
        boolean due = last == Long.MIN_VALUE || now - last >= SWEEP_INTERVAL.toMillis() || now < last;
        if (due || usedBytes.get() > maxBytes) {
            sweep();
        }
    }

    /**
     * Recounts the files, deletes expired entries, malformed files and stale temporary files, and
     * then the oldest entries until the total is at most the low watermark. One thread at a time;
     * others do not wait for it. Writes that land while a sweep runs keep their count, and the
     * sweeper looks again after letting go, so the last writer's bytes are never left unswept.
     */
    void sweep() {
        for (int round = 0; round < 8; round++) {
            if (!sweeping.compareAndSet(false, true)) {
                return;
            }
            boolean swept;
            try {
                swept = sweepOnce();
            } finally {
                sweeping.set(false);
            }
            if (!swept || usedBytes.get() <= maxBytes) {
                return;
            }
        }
    }

    private boolean sweepOnce() {
        try {
            long now = clock.millis();
            lastSweep.set(now);
            long counted = usedBytes.get();
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                usedBytes.addAndGet(-counted);
                return true;
            }
            record Found(Path file, long size, long modified) {
            }
            List<Found> kept = new ArrayList<>();
            long total = 0;
            try (DirectoryStream<Path> orgs = Files.newDirectoryStream(root)) {
                for (Path orgDir : orgs) {
                    if (!Files.isDirectory(orgDir, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(orgDir)) {
                        for (Path file : files) {
                            BasicFileAttributes a;
                            try {
                                a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                            } catch (NoSuchFileException gone) {
                                continue;
                            }
                            long modified = a.lastModifiedTime().toMillis();
                            String name = file.getFileName().toString();
                            if (name.endsWith(".tmp")) {
                                if (now - modified > STALE_TEMP_FILE.toMillis()) {
                                    Files.deleteIfExists(file);
                                }
                            } else if (!NAME.matcher(name).matches() || !a.isRegularFile()
                                    || a.size() < HEADER_BYTES + MIN_SEALED_BYTES || expiry(file) <= now) {
                                Files.deleteIfExists(file);
                            } else {
                                kept.add(new Found(file, a.size(), modified));
                                total += a.size();
                            }
                        }
                    }
                }
            }
            if (total > maxBytes) {
                long target = (long) (maxBytes * LOW_WATERMARK);
                kept.sort(Comparator.comparingLong(Found::modified).thenComparing(Found::file));
                for (Found found : kept) {
                    if (total <= target) {
                        break;
                    }
                    Files.deleteIfExists(found.file());
                    total -= found.size();
                }
            }
            // Relative, not set(total): writes finished during the listing keep their count.
            usedBytes.addAndGet(total - counted);
            return true;
        } catch (IOException | RuntimeException e) {
            warn("sweeping", e);
            return false;
        }
    }

    /** The header's expiry, or 0 (expired) when the header is unreadable. */
    private static long expiry(Path file) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] header = in.readNBytes(HEADER_BYTES);
            if (header.length != HEADER_BYTES || header[0] != FILE_VERSION) {
                return 0;
            }
            return ByteBuffer.wrap(header, 1, 8).getLong();
        } catch (IOException e) {
            return 0;
        }
    }

    private Path directory(String orgDir) throws IOException {
        ensureDirectory(root);
        Path dir = root.resolve(orgDir);
        ensureDirectory(dir);
        return dir;
    }

    private static void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            if (posix(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                // The umask may have taken bits away, never added: set exactly 0700 anyway.
                Files.setPosixFilePermissions(dir, DIRECTORY);
            } else {
                Files.createDirectories(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
        }
    }

    private FileAttribute<?>[] fileAttributes() {
        return posix(root) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** At most one warning a minute: a full disk must not flood the log. Paths hold only hashes. */
    private void warn(String action, Exception e) {
        long now = clock.millis();
        long last = lastWarning.get();
        if ((last == Long.MIN_VALUE || now - last >= WARNING_INTERVAL.toMillis() || now < last)
                && lastWarning.compareAndSet(last, now)) {
            LOG.warn("result cache: {} the disk tier failed, continuing without it for this entry: {}", action,
                    e instanceof IOException ? e.toString() : e.getClass().getName());
        }
    }
}
