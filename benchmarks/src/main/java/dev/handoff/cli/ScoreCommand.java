package dev.handoff.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code handoff score MODEL --input in.csv [--output out.csv]}: scores every row of a CSV file and
 * writes one prediction row per input row, in the columns of a corpus {@code expected.csv} (see
 * {@link PredictionColumns}), plus an {@code error} column when some row could not be scored (see
 * {@link PredictionCsvWriter}).
 */
@Command(name = "score", description = {
        "Scores every row of a CSV file (header = input names, empty cell = missing) and writes the predictions as CSV.",
        "Columns: label,probability(<class>)... for a classifier, value for a regression, one per output otherwise;"
                + " an error column is added when some row could not be scored."})
final class ScoreCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "CSV", description = "The rows to score.")
    private Path input;

    @Option(names = "--output", paramLabel = "CSV", description = "Where to write the predictions; default: standard output.")
    private Path output;

    @Mixin
    private ModelOptions modelOptions;

    @Override
    public Integer call() throws IOException {
        ScoredCsv scored = ScoredCsv.score(modelOptions, CsvTable.read(input));
        List<RowResult> results = scored.results();
        write(scored.columns(), results);
        long failed = results.stream().filter(r -> !r.isScored()).count();
        if (failed > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("handoff score: " + failed + " of " + results.size() + " rows could not be scored; see the error column");
            err.flush();
        }
        return 0;
    }

    private void write(PredictionColumns columns, List<RowResult> results) throws IOException {
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            PredictionCsvWriter.write(out, columns, results);
            out.flush();
            return;
        }
        try (Writer out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            PredictionCsvWriter.write(out, columns, results);
        }
    }
}
