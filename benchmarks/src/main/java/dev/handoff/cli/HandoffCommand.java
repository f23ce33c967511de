package dev.handoff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * The {@code handoff} command line: inspect, score and verify a model, and run the benchmarks.
 *
 * <pre>{@code
 * java -jar handoff.jar inspect churn.onnx
 * java -jar handoff.jar score churn.onnx --input rows.csv --output predictions.csv
 * java -jar handoff.jar verify churn.pmml --input rows.csv --expected expected.csv --tolerance 1e-9
 * java -jar handoff.jar jmh -f 1 -wi 1 -i 1 OnnxSingleRow
 * }</pre>
 *
 * <p>Exit codes: 0 success; 1 {@code verify} found a mismatch; 2 a usage error, a model that cannot
 * be loaded or a CSV file that cannot be read (the reason is printed on stderr, with the stack trace
 * under {@code --verbose}). {@code score} keeps going past rows that cannot be scored and exits 0:
 * each such row gets its reason in an {@code error} column.
 */
@Command(name = "handoff",
        description = "Loads an ONNX or PMML model in-process and scores it through the Handoff API.",
        subcommands = {InspectCommand.class, ScoreCommand.class, VerifyCommand.class, JmhCommand.class,
                CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "COMMAND")
public final class HandoffCommand implements Callable<Integer> {
    /** Exit code of a usage error, an unusable model or an unreadable CSV file. */
    static final int EXIT_FAILURE = 2;
    /** Exit code of {@code verify} when a prediction does not match. */
    static final int EXIT_MISMATCH = 1;

    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    private boolean help;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Prints stack traces of failures and the INFO log (model loading).")
    private boolean verbose;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            // slf4j-simple reads this once, at the first log call: loading logs only under --verbose
            System.setProperty(LOG_LEVEL_PROPERTY, Arrays.asList(args).contains("--verbose") ? "info" : "warn");
        }
        System.exit(commandLine().execute(args));
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
