package dev.handoff.cli;

import dev.handoff.Prediction;
import dev.handoff.internal.LogText;
import dev.handoff.internal.csv.CsvReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;


import java.io.BufferedWriter;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code handoff score MODEL --input in.csv [--output out.csv]}: scores a CSV file of any size in
 * constant memory. Rows are read, scored through the library's stream of records
 * ({@link dev.handoff.Scorer#score(Stream)}, which chunks them) and written as each chunk comes out, in the columns of a corpus {@code expected.csv}
 * (see {@link PredictionColumns}) plus an {@code error} column (see {@link PredictionCsvWriter}).
 *
 * <p>The header is checked against the model before any row is scored ({@link BoundModel}). Exit
 * codes: 0 every row scored; {@value HandoffCommand#EXIT_ROWS_FAILED} some rows could not be scored
 * (their count on stderr, their reasons in the {@code error} column); 2 a usage error, a model that
 * cannot be loaded, a header that does not fit it, an input that cannot be read on, or an output that is
 * the input, is in a missing folder or cannot be written; {@value HandoffCommand#EXIT_INTERNAL_ERROR} an
 * internal error. A row with fewer or more cells than the header fails alone.
 */
@Command(name = "score", sortOptions = false, description = {
        "Scores every row of a CSV file (header = input names, empty cell = missing) and writes the predictions as CSV, "
                + "in constant memory whatever the size of the file.",
        "Columns: [--id column,] label,probability(<class>)... for a classifier, value for a regression, one per output "
                + "otherwise; then error, empty for a scored row and the reason for a row that could not be scored.",
        "Rows must have as many cells as the header; a record over 4,194,304 characters stops the run.",
        "Exit codes: 0 every row scored; 3 some rows could not be scored (count on stderr); "
                + "2 usage error (--output that is the input), unusable model, header that does not fit the model, "
                + "unreadable input, unwritable output; 4 internal error."})
final class ScoreCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "CSV",
            description = "The rows to score: a file (gzip-compressed when named .gz), or - for standard input.")
    private String input;

    @Option(names = "--output", paramLabel = "CSV", defaultValue = "-",
            description = "Where to write the predictions: a file (gzip-compressed when named .gz), or - for standard output (default).")
    private String output;

    @Option(names = "--id", paramLabel = "COLUMN",
            description = "A column copied to the output as its first column, to join predictions with the input; not scored "
                    + "unless it is also an input of the model.")
    private String idColumn;

    @Option(names = "--delimiter", paramLabel = "CHAR", converter = DelimiterConverter.class, defaultValue = ",",
            description = "The input's column separator: one character, or tab. Default: ','. The output is always comma-separated.")
    private char delimiter;

    @Option(names = "--encoding", paramLabel = "CHARSET", defaultValue = "UTF-8",
            description = "The input's character encoding, such as ISO-8859-1 or windows-1252. Default: ${DEFAULT-VALUE}.")
    private Charset encoding;

    @Option(names = "--progress", negatable = true,
            description = "Print rows, rows/s and failures on stderr while scoring. Default: when stderr is a terminal.")
    private Boolean progress;

    @Mixin
    private ModelOptions modelOptions;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        checkOutput();
        try (CsvRowReader rows = CsvRowReader.open(input, System.in, encoding, delimiter)) {
            int idIndex = idIndex(rows);
            try (BoundModel model = BoundModel.open(modelOptions, rows.header(), idColumn, rows.source(), err)) {
                Counts counts = writePredictions(rows, idIndex, model, err);
                if (counts.failed == 0) {
                    return 0;
                }
                err.println("handoff score: " + counts.failed + " of " + counts.rows + " rows could not be scored (see the error "
                        + "column); the first, " + counts.firstFailure);
                err.flush();
                return HandoffCommand.EXIT_ROWS_FAILED;
            }
        }
    }

    /**
     * Refuses, before anything is opened, an output that would destroy the input or the model (the same file
     * under any path, symbolic or hard link), or that cannot be created (a folder, or in a folder that does not exist).
     */
    private void checkOutput() throws IOException {
        if (CsvRowReader.STANDARD_INPUT.equals(output)) {
            return;
        }
        Path out = Path.of(output);
        if (!CsvRowReader.STANDARD_INPUT.equals(input) && isSameFile(Path.of(input), out)) {
            throw new IllegalArgumentException("--output " + output + " is the input file " + input
                    + (output.equals(input) ? "" : " under another name") + ": writing it would destroy the rows being read. "
                    + "Give another --output file");
        }
        if (isSameFile(modelOptions.model(), out)) {
            throw new IllegalArgumentException("--output " + output + " is the model file " + modelOptions.model()
                    + ": writing it would destroy the model. Give another --output file");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--output " + output + " is a folder; give a file name");
        }
        Path folder = out.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--output " + output + ": the folder " + folder
                    + (Files.exists(folder) ? " is not a folder" : " does not exist"));
        }
    }

    /** Whether both paths exist and are one file (compared by file key: links and other spellings included). */
    private static boolean isSameFile(Path a, Path b) throws IOException {
        return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    }

    private int idIndex(CsvRowReader rows) {
        if (idColumn == null) {
            return -1;
        }
        int index = rows.header().indexOf(idColumn);
        if (index < 0) {
            throw new IllegalArgumentException("--id " + LogText.safe(idColumn) + ": " + rows.source() + " has no such column; its "
                    + "columns are " + LogText.safe(rows.header().toString(), 400));
        }
        return index;
    }

    /** What was written: rows, failed rows, and where the first failure was. */
    private static final class Counts {
        long rows;
        long failed;
        String firstFailure;

        void fail(long line, String reason) {
            if (failed++ == 0) {
                firstFailure = "line " + line + ": " + reason;
            }
        }
    }

    private Counts writePredictions(CsvRowReader rows, int idIndex, BoundModel model, PrintWriter err) throws IOException {
        Counts counts = new Counts();
        boolean toStandardOutput = CsvRowReader.STANDARD_INPUT.equals(output);
        Writer out = toStandardOutput ? spec.commandLine().getOut() : fileWriter(Path.of(output));
        ProgressLine progressLine = progressLine(err);
        int width = rows.header().size();
        // the rows read and not yet written: the library reads one chunk of records ahead of its outcomes
        Deque<CsvReader.Row> pending = new ArrayDeque<>();
        Stream<Map<String, ?>> records = rows.stream().map(row -> {
            pending.add(row);
            return row.cells().size() == width ? model.record(row.cells()) : Map.of(); // failed below, whatever its outcome
        });
        try (Stream<Prediction> outcomes = model.scorer().score(records)) {
            PredictionCsvWriter writer = new PredictionCsvWriter(out, idColumn, PredictionColumns.of(model.scorer()));
            for (Iterator<Prediction> it = outcomes.iterator(); it.hasNext(); ) {
                Prediction p = it.next();
                CsvReader.Row row = pending.remove();
                String id = idIndex >= 0 && idIndex < row.cells().size() ? row.cells().get(idIndex) : "";
                String reason = row.cells().size() != width ? wrongWidth(row, width)
                        : p.failed() ? CliWording.rowFailure(p.failure().orElseThrow()) : null;
                if (reason == null) {
                    writer.scored(id, p);
                } else {
                    writer.failed(id, reason);
                    counts.fail(row.line(), reason);
                }
                counts.rows++;
                if (pending.isEmpty()) { // the end of one of the library's chunks: what it scored goes out now
                    writer.flush();
                    if (toStandardOutput && spec.commandLine().getOut().checkError()) {
                        throw new IOException("cannot write to standard output (closed by the reader?) after " + counts.rows + " rows");
                    }
                    if (progressLine != null) {
                        progressLine.update(counts.rows, counts.failed);
                    }
                }
            }
            writer.flush();
            if (progressLine != null) {
                progressLine.finish(counts.rows, counts.failed);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause(); // the input could not be read on
        } finally {
            if (!toStandardOutput) {
                out.close();
            }
        }
        return counts;
    }

    /** A row with fewer or more cells than the header: the last line of a cut file, a stray separator. */
    private static String wrongWidth(CsvReader.Row row, int width) {
        int cells = row.cells().size();
        return "line " + row.line() + " has " + cells + (cells == 1 ? " cell" : " cells") + ", but the header has " + width
                + " columns" + (cells < width ? " (is the file cut short? an empty cell is written as nothing between two separators)" : "");
    }

    private ProgressLine progressLine(PrintWriter err) {
        boolean terminal = ProgressLine.stderrIsATerminal();
        return (progress == null ? terminal : progress) ? ProgressLine.to(err, terminal) : null;
    }

    private static Writer fileWriter(Path file) throws IOException {
        OutputStream out;
        try {
            out = Files.newOutputStream(file);
            if (file.getFileName().toString().endsWith(".gz")) {
                out = new GZIPOutputStream(out, 1 << 16);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + reason(e), e);
        }
        return new NamedWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16), file);
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The output file's writer, whose failures ({@code /dev/full}: no space left) name the file. */
    private static final class NamedWriter extends FilterWriter {
        private final Path file;

        NamedWriter(Writer out, Path file) {
            super(out);
            this.file = file;
        }

        @Override
        public void write(int c) throws IOException {
            try {
                out.write(c);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            try {
                out.write(chars, offset, length);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void write(String text, int offset, int length) throws IOException {
            try {
                out.write(text, offset, length);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        private IOException failed(IOException e) {
            return new IOException("cannot write " + file + ": " + reason(e), e);
        }
    }

    /** {@code ;} or {@code tab} (or {@code \t}) to the character. */
    static final class DelimiterConverter implements ITypeConverter<Character> {
        @Override
        public Character convert(String value) {
            if (value.equalsIgnoreCase("tab") || value.equals("\\t") || value.equals("\t")) {
                return '\t';
            }
            if (value.length() != 1 || value.equals("\"") || value.equals("\n") || value.equals("\r")) {
                throw new TypeConversionException("'" + value + "' is not a column separator: give one character "
                        + "other than a quote or a line break, or tab");
            }
            return value.charAt(0);
        }
    }
}
