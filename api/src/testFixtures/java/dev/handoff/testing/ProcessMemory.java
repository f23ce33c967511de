package dev.handoff.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Heap and resident memory of this JVM, for the load-cost tools that divide what many loaded scorers hold by their
 * number ({@code LoadCostMain}, {@code PmmlLoadCostMain}).
 *
 * <pre>{@code
 * ProcessMemory.settle();
 * long heap = ProcessMemory.heap(), rss = ProcessMemory.rss();
 * }</pre>
 */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** A few full collections with pauses between them, so that the next readings hold only live objects. */
    public static void settle() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    /** The heap in use, bytes. */
    public static long heap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** The resident set size, bytes ({@code VmRSS} of {@code /proc/self/status}); -1 where there is none. */
    public static long rss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }
}
