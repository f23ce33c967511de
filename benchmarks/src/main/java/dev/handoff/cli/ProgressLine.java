package dev.handoff.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The progress of a long {@code score} run on stderr: rows read, rows per second, rows failed. On a
 * terminal one line is rewritten in place about once a second; elsewhere (with {@code --progress}
 * into a log) a new line comes every ten seconds. Nothing is printed per row.
 *
 * <pre>{@code
 * ProgressLine progress = ProgressLine.to(err, ProgressLine.stderrIsATerminal());
 * progress.update(rows, failed);   // after each batch
 * progress.finish(rows, failed);
 * }</pre>
 */
final class ProgressLine {
    private static final long TERMINAL_INTERVAL_NANOS = 1_000_000_000L;
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastPrinted = started;

    private ProgressLine(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A progress line on {@code err}, rewritten in place when {@code terminal}. */
    static ProgressLine to(PrintWriter err, boolean terminal) {
        return new ProgressLine(err, terminal);
    }

    /**
     * Whether this process's stderr is a terminal. Java tells only whether stdin and stdout both are
     * ({@link System#console()}), which is false in {@code score ... > out.csv}; on Linux the file
     * descriptor says it, elsewhere the console has to do.
     */
    static boolean stderrIsATerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException notLinux) {
            return System.console() != null;
        }
    }

    /** Prints the counts when the interval has passed since the last line. */
    void update(long rows, long failed) {
        long now = System.nanoTime();
        if (now - lastPrinted >= (terminal ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS)) {
            lastPrinted = now;
            print(rows, failed, now, false);
        }
    }

    /** Prints the final counts and ends the line. */
    void finish(long rows, long failed) {
        print(rows, failed, System.nanoTime(), true);
    }

    private void print(long rows, long failed, long now, boolean last) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        String text = String.format(Locale.ROOT, "handoff score: %,d rows, %,.0f rows/s, %,d failed, %.1f s",
                rows, rows / seconds, failed, seconds);
        if (terminal) {
            err.print("\r" + text + (last ? "\n" : ""));
        } else {
            err.println(text);
        }
        err.flush();
    }
}
