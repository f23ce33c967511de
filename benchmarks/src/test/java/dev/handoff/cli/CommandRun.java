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
     * the PyTorch classifier's graph carries no class labels, so {@code --classes} names them as
     * {@code expected.csv} does.
     */
    static CommandRun ofCorpus(CorpusModel model, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (model == CorpusModel.DIGITS_ONNX) {
            all.addAll(List.of("--classes", String.join(",", model.classes())));
        }
        return of(all.toArray(String[]::new));
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
