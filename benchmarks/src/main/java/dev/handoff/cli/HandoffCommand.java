package dev.handoff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * The {@code handoff} command line: inspect, score and verify a model, and run the benchmarks.
 *
 * <pre>{@code
 * java -jar handoff.jar inspect churn.onnx
 * java -jar handoff.jar score churn.onnx --input rows.csv.gz --output predictions.csv --id customer_id
 * java -jar handoff.jar verify churn.pmml --input rows.csv --expected expected.csv --tolerance 1e-9
 * java -jar handoff.jar jmh -f 1 -wi 1 -i 1 OnnxSingleRow
 * }</pre>
 *
 * <p>Exit codes: {@value #EXIT_OK} success; {@value #EXIT_MISMATCH} {@code verify} found a mismatch;
 * {@value #EXIT_FAILURE} a usage error, a model that cannot be loaded, a CSV header that does not fit the
 * model, a CSV file that cannot be read (bytes not in its encoding, broken quoting, a line longer than
 * the bound) or an output that cannot be written (the reason is printed on stderr, with the stack trace
 * under {@code --verbose}); {@value #EXIT_ROWS_FAILED} {@code score} wrote every row, but some could not
 * be scored (their count on stderr, their reasons in the {@code error} column);
 * {@value #EXIT_INTERNAL_ERROR} an internal error of Handoff, or the JVM out of memory (with a stack trace).
 */
@Command(name = "handoff",
        description = "Loads an ONNX or PMML model in-process and scores it through the Handoff API.",
        subcommands = {InspectCommand.class, ScoreCommand.class, VerifyCommand.class, DiffCommand.class, JmhCommand.class,
                CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        versionProvider = Versions.class,
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success",
                "  1  verify: some prediction does not match",
                "  2  usage error, model that cannot be loaded, CSV header that does not fit the model, unreadable input"
                        + " (a byte not in its encoding, broken quoting, a line over 4,194,304 chars), unwritable output",
                "  3  score: some rows could not be scored (their reasons are in the error column)",
                "  4  internal error of Handoff or out of memory (printed with its stack trace: please report it)"})
public final class HandoffCommand implements Callable<Integer> {
    /** Exit code of success. */
    static final int EXIT_OK = 0;
    /** Exit code of {@code verify} when a prediction does not match. */
    static final int EXIT_MISMATCH = 1;
    /** Exit code of a usage error, an unusable model, a header that does not fit it or an unreadable CSV file. */
    static final int EXIT_FAILURE = 2;
    /** Exit code of {@code score} when some rows could not be scored. */
    static final int EXIT_ROWS_FAILED = 3;
    /** Exit code of an internal error (a bug of Handoff) or the JVM out of memory, printed with its stack trace. */
    static final int EXIT_INTERNAL_ERROR = 4;

    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    private boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Prints the versions of Handoff, ONNX Runtime and JPMML-Evaluator.")
    private boolean version;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Prints stack traces of failures and the INFO log (model loading).")
    private boolean verbose;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            // slf4j-simple reads this once, at the first log call: loading logs only under --verbose
            System.setProperty(LOG_LEVEL_PROPERTY, Arrays.asList(args).contains("--verbose") ? "info" : "warn");
        }
        // score writes millions of lines: through one buffer, not System.out's flush per line
        PrintWriter out = new PrintWriter(new BufferedWriter(
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16));
        int exitCode;
        try {
            exitCode = commandLine().setOut(out).execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("handoff: out of memory (" + e.getMessage() + "); give the JVM more with java -Xmx...");
            exitCode = EXIT_INTERNAL_ERROR;
        } catch (RuntimeException | Error e) {
            System.err.println("handoff: internal error, please report it with this stack trace: " + e);
            e.printStackTrace();
            exitCode = EXIT_INTERNAL_ERROR;
        }
        out.flush();
        System.exit(exitCode);
    }

    /** The command line, with its exit codes for failures; set its out and err writers to capture the output. */
    static CommandLine commandLine() {
        return new CommandLine(new HandoffCommand())
                .setExecutionExceptionHandler(new FailureHandler());
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_FAILURE;
    }
}
