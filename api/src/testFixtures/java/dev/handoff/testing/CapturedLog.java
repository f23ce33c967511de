package dev.handoff.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The lines that SLF4J's simple binding (the tests' logging backend) writes while an action runs.
 * slf4j-simple looks {@code System.err} up at every write, so swapping it captures the log.
 *
 * <pre>{@code
 * List<String> lines = CapturedLog.linesWhile(() -> Scorer.load(model).close());
 * }</pre>
 */
public final class CapturedLog {
    private CapturedLog() {
    }

    /** Runs {@code action} and returns the lines written to {@code System.err} meanwhile, by any thread. */
    public static synchronized List<String> linesWhile(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.err.flush();
            System.setErr(original);
        }
        return buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
