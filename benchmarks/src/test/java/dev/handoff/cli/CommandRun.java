package dev.handoff.cli;

import dev.handoff.testing.CorpusModel;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of the {@code handoff} command line, with what it printed. */
record CommandRun(int exitCode, String out, String err) {

    static CommandRun of(String... args) {
        return withStandardInput(new byte[0], args);
    }

    /** Runs with {@code stdin} as standard input (restored afterwards). */
    static CommandRun withStandardInput(byte[] stdin, String... args) {
        java.io.InputStream original = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(stdin));
            return run(args);
        } finally {
            System.setIn(original);
        }
    }

    private static CommandRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = HandoffCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }

    /**
     * Runs {@code args} on a corpus model, followed by the options the model needs besides its files:
     * a single-tensor model takes the CSV columns in header order, as the corpus writes them
     * ({@code --by-position}), and the PyTorch classifier's graph carries no class labels, so
     * {@code --classes} names them as {@code expected.csv} does.
     */
    static CommandRun ofCorpus(CorpusModel model, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(optionsOf(model));
        return of(all.toArray(String[]::new));
    }

    /** The options a corpus model needs besides its files (see {@link #ofCorpus}). */
    static List<String> optionsOf(CorpusModel model) {
        List<String> options = new ArrayList<>();
        if (model.isSingleTensor()) {
            options.add("--by-position");
        }
        if (model == CorpusModel.DIGITS_ONNX) {
            options.addAll(List.of("--classes", String.join(",", model.classes())));
        }
        return options;
    }

    /** Standard output read as CSV, header first. */
    List<List<String>> outCsv() {
        return csv(out);
    }

    static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        try {
            for (CSVRecord record : CSVFormat.DEFAULT.parse(new StringReader(text))) {
                rows.add(record.toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
