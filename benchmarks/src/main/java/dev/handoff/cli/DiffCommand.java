package dev.handoff.cli;

import dev.handoff.ModelComparison;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.Verification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code handoff diff A B --input data.csv [--id COL] [--atol A] [--rtol R] [--output diffs.csv] [--plot diff.png]}:
 * the library's {@link ModelComparison} on a CSV file, read once in constant memory, printed as its report.
 * Exit codes, the first that applies: 2 a usage error, a model that cannot be loaded or a header that does not
 * fit a model; 3 some row could not be scored by one model or both (the report still says how the others
 * compare); 1 the models differ; 0 they agree within tolerance.
 */
@Command(name = "diff", description = {
        "Scores input.csv with two models (ONNX vs PMML, old vs new) and reports how their answers differ: per output"
                + " the rows compared, how many agree, the max, p50 and p99 of the absolute and relative differences; the rows"
                + " and classes only one model has; the worst rows.",
        "A is the reference: a number agrees when |b - a| <= atol + rtol * |a| (an infinity or nan only with the same), a"
                + " label when equal. Quantiles are within 1/32 of the true value; maxima are exact.",
        "Exits, the first that applies: 2 on a usage error or a model or file that cannot be read, 3 when some row could"
                + " not be scored by a model, 1 when the models differ, 0 when they agree."})
final class DiffCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    private boolean help;

    @Parameters(index = "0", paramLabel = "A", description = "The reference model (.onnx or .pmml), such as the one serving today.")
    private Path modelA;

    @Parameters(index = "1", paramLabel = "B", description = "The model compared with A, such as a candidate.")
    private Path modelB;

    @Option(names = "--input", required = true, paramLabel = "CSV",
            description = "The rows to score (header = input names, empty cell = missing; .gz read as gzip; - for standard input).")
    private String input;

    @Option(names = "--id", paramLabel = "COLUMN", description = "A column that names each row in the report and in --output.")
    private String idColumn;

    @Option(names = "--atol", paramLabel = "ABS", defaultValue = "" + Verification.DEFAULT_ABSOLUTE_TOLERANCE,
            description = "Absolute tolerance. Default: ${DEFAULT-VALUE}, as verify.")
    private double atol;

    @Option(names = "--rtol", paramLabel = "REL", defaultValue = "" + Verification.DEFAULT_RELATIVE_TOLERANCE,
            description = "Relative tolerance. Default: ${DEFAULT-VALUE}, as verify.")
    private double rtol;

    @Option(names = "--worst", paramLabel = "N", defaultValue = "" + ModelComparison.DEFAULT_ROWS_KEPT,
            description = "How many worst rows, and rows only one model scored, the report lists. Default: ${DEFAULT-VALUE}.")
    private int worst;

    @Option(names = "--output", paramLabel = "CSV",
            description = "Writes every row's answers of A and B, the absolute difference per output and whether it agrees.")
    private Path output;

    @Option(names = "--plot", paramLabel = "PNG",
            description = "Draws A's score against B's (a sample of at most " + DiffPlot.MAX_POINTS + " rows) and the"
                    + " histogram of their absolute differences.")
    private Path plot;

    @Option(names = "--max-model-bytes", paramLabel = "BYTES", defaultValue = "1073741824",
            description = "Larger model files are refused. Default: ${DEFAULT-VALUE} (1 GiB).")
    private long maxModelBytes;

    @Option(names = "--engine", paramLabel = "ENGINE", converter = ModelSelection.EngineConverter.class,
            description = ModelSelection.ENGINE_DESCRIPTION + " Applies to both models.")
    private ModelSelection.Engine engine = ModelSelection.Engine.AUTO;

    @Override
    public Integer call() throws IOException {
        ModelComparison.Builder builder;
        try {
            builder = ModelComparison.builder().tolerance(atol, rtol).rowsKept(worst);
            if (idColumn != null) {
                builder.idColumn(idColumn);
            }
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ModelComparison comparison = builder.build();
        ScorerOptions options = ScorerOptions.builder().maxModelBytes(maxModelBytes)
                .compiledTrees(engine.compiledTrees()).build();
        ModelComparison.Report report;
        try (CsvRowReader rows = CsvRowReader.open(input, System.in, StandardCharsets.UTF_8, ',');
             Scorer a = Scorer.load(modelA, options);
             Scorer b = Scorer.load(modelB, options)) {
            checkHeader(a, "A", rows);
            checkHeader(b, "B", rows);
            DiffRows writer = output == null ? null : new DiffRows(Files.newBufferedWriter(output), idColumn, a, b,
                    comparison.compare(a, b, Collections.emptyIterator(), null).outputs());
            DiffPlot drawing = plot == null ? null : DiffPlot.of(a, b);
            Consumer<ModelComparison.RowComparison> eachRow = writer == null && drawing == null ? null : row -> {
                if (writer != null) {
                    writer.write(row);
                }
                if (drawing != null) {
                    drawing.add(row);
                }
            };
            try {
                report = comparison.compare(a, b, records(rows), eachRow);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } finally {
                if (writer != null) {
                    writer.close();
                }
            }
            if (drawing != null) {
                drawing.write(plot, String.valueOf(modelA.getFileName()), String.valueOf(modelB.getFileName()));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(report);
        out.flush();
        if (report.rowsFailed() > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("handoff diff: " + report.rowsFailed() + " of " + report.rows() + " rows could not be scored by A, B or both");
            err.flush();
            return HandoffCommand.EXIT_ROWS_FAILED;
        }
        return report.agrees() ? HandoffCommand.EXIT_OK : HandoffCommand.EXIT_MISMATCH;
    }

    private void checkHeader(Scorer scorer, String which, CsvRowReader rows) {
        Scorer.ColumnCheck check = scorer.checkColumns(rows.header());
        if (!check.matches()) {
            throw new IllegalArgumentException("the header of " + rows.source() + " does not fit model " + which + " ("
                    + scorer.info().source() + "): " + check);
        }
    }

    /** The CSV rows as records: a read-only view of each row's cells under the header's names, one map per row. */
    private static Iterator<Map<String, ?>> records(CsvRowReader rows) {
        Map<String, Integer> columns = new HashMap<>();
        List<String> header = rows.header();
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i), i);
        }
        return rows.stream().<Map<String, ?>>map(row -> new CellRecord(columns, row.cells())).iterator();
    }
}
