package dev.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The one way Handoff reads a file: model files (at load and at every reload check) and verification
 * case files.
 *
 * <pre>{@code
 * byte[] bytes = GuardedFileReader.read(path, limit, "maxModelBytes (" + limit + "); raise it if this model is expected");
 * }</pre>
 *
 * <ul>
 *   <li><b>Regular files only.</b> The path's attributes are read first (following links, opening nothing): a
 *       directory, a named pipe, a device or a socket is refused by name without being opened, because reading
 *       one may never end and opening a pipe blocks until someone writes to it.</li>
 *   <li><b>Bounded while reading.</b> At most {@code limit + 1} bytes are ever read: a file that grows past the
 *       limit while it is read is refused, not only a file that was too large before.</li>
 *   <li><b>A consistent read or a refusal.</b> The file's identity (file key, size, modification time) is
 *       taken before the read, checked again right after opening and after the last byte: a file replaced
 *       (a symbolic link swapped, a rename over it) or written to while it was read is refused with
 *       {@link Refused#retryable()} set, so a reload check tries it again once it stops changing.</li>
 *   <li><b>Never blocks its caller for long.</b> Java cannot open a file with {@code O_NONBLOCK}, so a path
 *       swapped for a pipe between the check and the open would block {@code open()} forever. The open and the
 *       read therefore run on a daemon thread, and the caller waits at most {@link #waitNanos} (two minutes).
 *       A read past it is interrupted (file channels stop on interrupt); an {@code open()} stuck on a pipe
 *       cannot be, and leaves that one daemon thread waiting until something writes to the pipe.</li>
 * </ul>
 */
final class GuardedFileReader {
    private static final int FIRST_CHUNK = 8 * 1024;
    private static final int MAX_CHUNK = 1 << 20;
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "handoff-file-read");
        t.setDaemon(true);
        return t;
    });

    /** How long a caller waits for the open and the read; tests shorten it. */
    static volatile long waitNanos = TimeUnit.MINUTES.toNanos(2);
    /** Tests only: runs on the reading thread after the type check, before the open. */
    static volatile Consumer<Path> beforeOpen;
    /** Tests only: runs on the reading thread after the open and the identity check, before the first byte is read. */
    static volatile Consumer<Path> afterOpen;

    private GuardedFileReader() {
    }

    /**
     * Why a file was not read: a sentence that names what the path is and what was expected.
     * {@link #retryable()}: an I/O failure or a file that changed while it was read, worth trying again even if
     * nothing about the file changes; otherwise only a change of the file can make another try succeed.
     */
    static final class Refused extends IOException {
        private final String reason;
        private final boolean retryable;
        private final boolean missing;

        Refused(String reason, boolean retryable, boolean missing, Throwable cause) {
            super(reason, cause);
            this.reason = reason;
            this.retryable = retryable;
            this.missing = missing;
        }

        String reason() {
            return reason;
        }

        boolean retryable() {
            return retryable;
        }

        /** Whether the file does not exist. */
        boolean missing() {
            return missing;
        }
    }

    /**
     * What a path is now, read without opening it (links followed); equal snapshots mean the same file with,
     * as far as the file system tells, the same content and permissions.
     *
     * @param type {@code "a regular file"}, {@code "a directory"}, {@code "a named pipe (FIFO)"}...
     * @param changedNanos the status change time (chmod, link count), where the platform gives it, else 0
     * @param mode the permission and type bits, where the platform gives them, else 0
     */
    record Snapshot(String type, boolean regular, boolean directory, Object fileKey, long size, long modifiedNanos,
                    long changedNanos, int mode) {

        static Snapshot of(Path path) throws IOException {
            try {
                Map<String, Object> unix = Files.readAttributes(path, "unix:*");
                int mode = (Integer) unix.get("mode");
                return new Snapshot(typeOf(mode), (mode & 0170000) == 0100000, (mode & 0170000) == 0040000, unix.get("fileKey"),
                        (Long) unix.get("size"), nanos(unix.get("lastModifiedTime")), nanos(unix.get("ctime")), mode);
            } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException | NullPointerException e) {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                String type = a.isRegularFile() ? "a regular file" : a.isDirectory() ? "a directory" : "a device, named pipe or socket";
                return new Snapshot(type, a.isRegularFile(), a.isDirectory(), a.fileKey(), a.size(),
                        a.lastModifiedTime().to(TimeUnit.NANOSECONDS), 0, 0);
            }
        }

        /** Whether {@code other} is the same file with the same size and modification time. */
        boolean sameContentAs(Snapshot other) {
            return Objects.equals(fileKey, other.fileKey) && size == other.size && modifiedNanos == other.modifiedNanos
                    && regular == other.regular;
        }

        private static long nanos(Object time) {
            return time instanceof FileTime t ? t.to(TimeUnit.NANOSECONDS) : 0;
        }

        private static String typeOf(int mode) {
            switch (mode & 0170000) {
                case 0100000: return "a regular file";
                case 0040000: return "a directory";
                case 0010000: return "a named pipe (FIFO)";
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0140000: return "a socket";
                default: return "not a regular file";
            }
        }
    }

    /**
     * Reads the whole regular file at {@code path}, at most {@code limit} bytes.
     *
     * @param limitHint names the limit and what to do when the file is larger, as in
     *                  {@code "maxModelBytes (100); raise ScorerOptions.maxModelBytes if this model is expected"}
     * @throws Refused with a sentence that says why, never another exception for a file that cannot be read
     */
    static byte[] read(Path path, long limit, String limitHint) throws Refused {
        Snapshot before = regularFile(path);
        if (before.size() > limit) {
            throw new Refused("it has " + before.size() + " bytes, more than " + limitHint, false, false, null);
        }
        Future<byte[]> reading = READERS.submit(() -> openAndRead(path, limit, limitHint, before));
        long wait = waitNanos;
        try {
            return reading.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reading.cancel(true);
            throw new Refused("opening and reading it took more than " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms: it may have been "
                    + "replaced by a named pipe or sit on a file system that does not answer", true, false, e);
        } catch (InterruptedException e) {
            reading.cancel(true);
            Thread.currentThread().interrupt();
            throw new Refused("the read was interrupted", true, false, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Refused refused) {
                throw refused;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw failed(cause);
        }
    }

    /** The file's snapshot, or a refusal when it is not a regular file or cannot be looked at. */
    static Snapshot regularFile(Path path) throws Refused {
        Snapshot snapshot;
        try {
            snapshot = Snapshot.of(path);
        } catch (NoSuchFileException e) {
            throw new Refused("the file does not exist", false, true, e);
        } catch (IOException e) {
            throw new Refused("its attributes cannot be read (" + e + ")", true, false, e);
        }
        if (snapshot.directory()) {
            throw new Refused("it is a directory, not a file", false, false, null);
        }
        if (!snapshot.regular()) {
            throw new Refused("it is " + snapshot.type() + ", not a regular file: reading it may never end and opening it may "
                    + "block, so it is not opened", false, false, null);
        }
        return snapshot;
    }

    private static byte[] openAndRead(Path path, long limit, String limitHint, Snapshot before) throws IOException {
        Consumer<Path> early = beforeOpen;
        if (early != null) {
            early.accept(path);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            checkSame(path, before, "opened");
            Consumer<Path> hook = afterOpen;
            if (hook != null) {
                hook.accept(path);
            }
            byte[] bytes = readBounded(Channels.newInputStream(channel), limit, limitHint, (int) Math.min(before.size(), Integer.MAX_VALUE - 8));
            checkSame(path, before, "read");
            if (bytes.length != before.size() && before.size() != 0) { // /proc files say 0 and are read to their end
                throw new Refused("it changed while it was read (" + before.size() + " bytes before, " + bytes.length + " read)",
                        true, false, null);
            }
            return bytes;
        } catch (Refused e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new Refused("it cannot be read: permission denied", true, false, e);
        } catch (NoSuchFileException e) {
            throw new Refused("the file does not exist", false, true, e);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** Refuses when the path no longer names the file (or the content) seen before the read. */
    private static void checkSame(Path path, Snapshot before, String when) throws Refused {
        Snapshot now;
        try {
            now = Snapshot.of(path);
        } catch (IOException e) {
            throw new Refused("it was removed or replaced while it was " + when + " (" + e + ")", true, false, e);
        }
        if (!now.sameContentAs(before)) {
            String what = !Objects.equals(now.fileKey(), before.fileKey()) || !now.regular()
                    ? "it was replaced by another file (now " + now.type() + ")"
                    : "it changed (" + before.size() + " bytes before, " + now.size() + " now)";
            throw new Refused(what + " while it was " + when + "; read it again once it stops changing", true, false, null);
        }
    }

    private static Refused failed(Throwable e) {
        return new Refused("it cannot be read (" + e + ")", true, false, e);
    }

    /**
     * Reads {@code in} to its end, never more than {@code limit + 1} bytes, in chunks that grow with what arrives
     * (the first one has the expected size, so that a file whose size was right is returned without a copy).
     */
    static byte[] readBounded(InputStream in, long limit, String limitHint, int expected) throws IOException {
        java.util.List<byte[]> chunks = new java.util.ArrayList<>();
        long total = 0;
        int size = expected > 0 ? expected : FIRST_CHUNK;
        while (true) {
            int wanted = (int) Math.min(size, limit + 1 - total);
            byte[] chunk = new byte[wanted];
            int n = in.readNBytes(chunk, 0, wanted);
            total += n;
            if (total > limit) {
                throw new Refused("reading stopped after " + total + " bytes" + (expected > 0 ? " (it grew while it was read)" : "")
                        + ", more than " + limitHint, false, false, null);
            }
            if (n < wanted) {
                chunks.add(java.util.Arrays.copyOf(chunk, n));
                break;
            }
            chunks.add(chunk);
            size = chunks.size() == 1 && expected > 0 ? FIRST_CHUNK : Math.min(MAX_CHUNK, size * 2);
        }
        if (chunks.size() == 2 && chunks.get(1).length == 0) {
            return chunks.get(0);
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        return all;
    }
}
