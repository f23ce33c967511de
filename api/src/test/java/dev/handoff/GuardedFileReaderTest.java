package dev.handoff;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every file Handoff reads: regular files only, bounded while reading, a consistent version or a refusal, never a hang. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: opening a FIFO blocks forever
class GuardedFileReaderTest {
    private static final String HINT = "the test's limit";

    @TempDir
    Path dir;

    @AfterEach
    void resetHooks() {
        GuardedFileReader.beforeOpen = null;
        GuardedFileReader.afterOpen = null;
        GuardedFileReader.waitNanos = TimeUnit.MINUTES.toNanos(2);
    }

    static Path mkfifo(Path fifo) throws Exception {
        boolean made;
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
            made = mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0;
        } catch (IOException e) {
            made = false;
        }
        assumeTrue(made && Files.exists(fifo), "mkfifo is not available");
        return fifo;
    }

    @Test
    void regularFileIsReadWhole() throws Exception {
        byte[] content = new byte[300_001];
        new java.util.Random(3).nextBytes(content);
        Path file = Files.write(dir.resolve("f.bin"), content);

        assertArrayEquals(content, GuardedFileReader.read(file, content.length, HINT));
    }

    @Test
    void fileThatGrowsPastTheLimitWhileItIsReadIsRefused() throws Exception {
        Path file = Files.write(dir.resolve("model.bin"), new byte[1_000]);
        GuardedFileReader.afterOpen = p -> append(p, 5_000); // a writer that goes on after the size was checked

        GuardedFileReader.Refused e = assertThrows(GuardedFileReader.Refused.class, () -> GuardedFileReader.read(file, 4_000, HINT));

        assertEquals("reading stopped after 4001 bytes (it grew while it was read), more than the test's limit", e.reason());
    }

    @Test
    void fileThatIsWrittenToWhileItIsReadIsRefusedAsChanging() throws Exception {
        Path file = Files.write(dir.resolve("model.bin"), new byte[1_000]);
        GuardedFileReader.afterOpen = p -> append(p, 10);

        GuardedFileReader.Refused e = assertThrows(GuardedFileReader.Refused.class, () -> GuardedFileReader.read(file, 1 << 20, HINT));

        assertTrue(e.reason().startsWith("it changed (1000 bytes before, 1010 now) while it was read"), e.reason());
        assertTrue(e.retryable(), "a file still being written is read again at the next check");
    }

    @Test
    void symlinkSwappedWhileTheFileIsReadIsRefused() throws Exception {
        Path day1 = Files.write(dir.resolve("day1.bin"), new byte[1_000]);
        Path day2 = Files.write(dir.resolve("day2.bin"), new byte[2_000]);
        Path link = Files.createSymbolicLink(dir.resolve("model.bin"), day1.getFileName());
        GuardedFileReader.afterOpen = p -> relink(link, day2);

        GuardedFileReader.Refused e = assertThrows(GuardedFileReader.Refused.class, () -> GuardedFileReader.read(link, 1 << 20, HINT));

        assertTrue(e.reason().startsWith("it was replaced by another file (now a regular file) while it was read"), e.reason());
        assertTrue(e.retryable());
        assertEquals(2_000, GuardedFileReader.read(link, 1 << 20, HINT).length, "the next read takes the new file");
    }

    @Test
    void pathReplacedByANamedPipeBetweenTheCheckAndTheOpenDoesNotHoldTheCaller() throws Exception {
        Path file = Files.write(dir.resolve("model.bin"), new byte[100]);
        Path fifo = mkfifo(dir.resolve("pipe"));
        GuardedFileReader.beforeOpen = p -> move(fifo, p);
        GuardedFileReader.waitNanos = TimeUnit.MILLISECONDS.toNanos(200);
        try {
            GuardedFileReader.Refused e = assertThrows(GuardedFileReader.Refused.class, () -> GuardedFileReader.read(file, 1 << 20, HINT));

            assertTrue(e.reason().startsWith("opening and reading it took more than 200 ms: it may have been replaced by a named pipe"),
                    e.reason());
            assertTrue(e.retryable());
        } finally {
            try (OutputStream unblock = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
                // opening the pipe for writing lets the reading thread's open() return; it then finds a pipe and gives up
            }
        }
    }

    @Test
    void namedPipeIsRefusedByNameWithoutBeingOpened() throws Exception {
        Path fifo = mkfifo(dir.resolve("input.csv"));

        GuardedFileReader.Refused e = assertThrows(GuardedFileReader.Refused.class, () -> GuardedFileReader.read(fifo, 100, HINT));

        assertEquals("it is a named pipe (FIFO), not a regular file: reading it may never end and opening it may block, so it "
                + "is not opened", e.reason());
        assertFalse(e.retryable());
    }

    @Test
    void directoryIsRefusedByName() {
        GuardedFileReader.Refused e = assertThrows(GuardedFileReader.Refused.class, () -> GuardedFileReader.read(dir, 100, HINT));

        assertEquals("it is a directory, not a file", e.reason());
    }

    @Test
    void verificationFileThatIsANamedPipeIsRefusedNamingThePath() throws Exception {
        Path input = mkfifo(dir.resolve("input.csv"));
        Path expected = Files.writeString(dir.resolve("expected.csv"), "value\n1\n");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Verification.fromCsv(input, expected));

        assertTrue(e.getMessage().startsWith("cannot read CSV file " + input + ": it is a named pipe (FIFO), not a regular file"),
                e.getMessage());
    }

    @Test
    void verificationFileThatIsADirectoryIsRefusedNamingThePath() throws Exception {
        Path expected = Files.writeString(dir.resolve("expected.csv"), "value\n1\n");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Verification.fromCsv(dir, expected));

        assertEquals("cannot read CSV file " + dir + ": it is a directory, not a file", e.getMessage());
    }

    @Test
    void verificationFileLargerThanTheLimitIsRefusedBeforeItIsRead() throws Exception {
        Path input = dir.resolve("input.csv");
        try (var channel = java.nio.channels.FileChannel.open(input, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'x'}), Verification.MAX_CSV_BYTES); // sparse: no disk used
        }
        Path expected = Files.writeString(dir.resolve("expected.csv"), "value\n1\n");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Verification.fromCsv(input, expected));

        assertTrue(e.getMessage().contains("it has " + (Verification.MAX_CSV_BYTES + 1) + " bytes, more than the 64 MiB"), e.getMessage());
    }

    private static void append(Path file, int bytes) {
        try {
            Files.write(file, new byte[bytes], StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void relink(Path link, Path target) {
        try {
            Path next = Files.createSymbolicLink(link.resolveSibling("next"), target.getFileName());
            Files.move(next, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
