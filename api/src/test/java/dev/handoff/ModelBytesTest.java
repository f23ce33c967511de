package dev.handoff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A model path or stream can not make a load read without end, block, or allocate beyond maxModelBytes. */
class ModelBytesTest {
    /** ir_version = 8, then an empty graph: the start of every ONNX file. */
    private static final byte[] ONNX_START = {0x08, 0x08, 0x3a, 0x00};

    /** An endless stream of one byte value that counts what was read from it. */
    private static final class EndlessStream extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'x');
            read += len;
            return len;
        }
    }

    @Test
    void devZeroIsRefusedAsNotARegularFile() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero on this system");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(zero));
        assertEquals("/dev/zero", e.source());
        assertTrue(e.getMessage().contains("it is a character device, not a regular file"), e.getMessage());
    }

    @Test
    void linkToADeviceIsRefusedLikeTheDevice(@TempDir Path dir) throws Exception {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero on this system");
        Path link = Files.createSymbolicLink(dir.resolve("model.onnx"), zero);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(link));
        Files.delete(link);
        assertTrue(e.getMessage().contains("it is a character device, not a regular file"), e.getMessage());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: opening a FIFO blocks forever
    void namedPipeIsRefusedWithoutBeingOpened(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("model.onnx");
        boolean made;
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
            made = mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0;
        } catch (java.io.IOException e) {
            made = false;
        }
        assumeTrue(made && Files.exists(fifo), "mkfifo is not available");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(fifo));
        assertTrue(e.getMessage().contains("it is a named pipe (FIFO), not a regular file"), e.getMessage());
    }

    @Test
    void directoryIsRefusedWithAHint(@TempDir Path dir) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(dir));
        assertEquals(dir.toString(), e.source());
        assertTrue(e.getMessage().contains("it is a directory, not a model file"), e.getMessage());
    }

    @Test
    void fileThatReportsSizeZeroIsStillReadToItsEnd() {
        Path status = Path.of("/proc/self/status"); // a regular file whose reported size is 0
        assumeTrue(Files.isRegularFile(status), "no /proc on this system");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(status));
        assertTrue(e.getMessage().contains("neither an ONNX model"), e.getMessage());
    }

    @Test
    void fileLargerThanTheLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("model.onnx"), new byte[100]);
        ScorerOptions small = ScorerOptions.builder().maxModelBytes(99).build();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(file, small));
        assertTrue(e.getMessage().contains("it has 100 bytes, more than maxModelBytes (99)"), e.getMessage());
    }

    @Test
    void endlessStreamStopsOneByteAfterTheLimit() {
        EndlessStream endless = new EndlessStream();
        ScorerOptions options = ScorerOptions.builder().maxModelBytes(3_000_000).build();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(endless, options));
        assertEquals(3_000_001, endless.read);
        assertEquals("<stream>", e.source());
        assertTrue(e.getMessage().contains("reading stopped after 3000001 bytes, more than maxModelBytes (3000000)"),
                e.getMessage());
    }

    @Test
    void streamOfExactlyTheLimitIsAccepted() {
        ScorerOptions exact = ScorerOptions.builder().maxModelBytes(ONNX_START.length).build();
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Scorer.load(new ByteArrayInputStream(ONNX_START), exact));
        assertTrue(e.getMessage().contains("no ONNX runtime is on the class path"), e.getMessage());
    }

    @Test
    void streamIsReadWhole() throws Exception {
        byte[] model = new byte[5_000_123];
        new java.util.Random(7).nextBytes(model);
        assertArrayEquals(model, ModelBytes.read(new ByteArrayInputStream(model), model.length));
    }

    @Test
    void fileIsReadWhole(@TempDir Path dir) throws Exception {
        byte[] model = new byte[1_234_567];
        new java.util.Random(8).nextBytes(model);
        Path file = Files.write(dir.resolve("model.bin"), model);
        assertArrayEquals(model, ModelBytes.read(file, model.length));
    }
}
