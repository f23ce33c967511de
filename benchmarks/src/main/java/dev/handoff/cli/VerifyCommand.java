package dev.handoff.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code handoff verify MODEL --input in.csv --expected expected.csv [--tolerance 1e-6]}: scores the
 * input as {@code score} does and compares the predictions with the expected file (see
 * {@link PredictionComparison}); exits 1 on any mismatch.
 */
@Command(name = "verify", description = {
        "Scores a CSV file and compares the predictions with an expected.csv (the layout score writes).",
        "Labels must match exactly, numbers within the tolerance; an empty expected row means the row cannot be scored.",
        "Exits 1 on any mismatch."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "CSV", description = "The rows to score.")
    private Path input;

    @Option(names = "--expected", required = true, paramLabel = "CSV", description = "The expected predictions, row i for input row i.")
    private Path expected;

    @Option(names = "--tolerance", paramLabel = "ABS", defaultValue = "1e-6",
            description = "The largest absolute difference accepted for a number. Default: ${DEFAULT-VALUE}.")
    private double tolerance;

    @Mixin
    private ModelOptions modelOptions;

    @Override
    public Integer call() {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("--tolerance must be a number >= 0, got " + tolerance);
        }
        CsvTable rows = CsvTable.read(input);
        CsvTable expectedRows = CsvTable.read(expected).withoutColumn(PredictionCsvWriter.ERROR); // a score output verifies as is
        ScoredCsv scored = ScoredCsv.score(modelOptions, rows, spec.commandLine().getErr());
        PredictionComparison comparison = PredictionComparison.compare(scored.columns(), scored.results(), expectedRows, tolerance);
        comparison.print(spec.commandLine().getOut());
        return comparison.matches() ? 0 : HandoffCommand.EXIT_MISMATCH;
    }
}
