package dev.handoff.cli;

import dev.handoff.Prediction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the results of {@code score} as CSV, one line per input row as it comes, with {@code \n} line
 * ends as in the corpus: the {@code --id} column when one is given, the {@link PredictionColumns}, and
 * a last column {@code error}, empty for a scored row and holding the reason of a row that could not be
 * scored (whose prediction cells are then empty, as an {@code expected.csv} writes "no prediction").
 * The header is written first, so it cannot depend on whether some row will fail: {@code error} is
 * always there, and {@code verify} ignores an {@code error} column of an expected file.
 *
 * <pre>{@code
 * PredictionCsvWriter writer = new PredictionCsvWriter(out, "customer_id", PredictionColumns.of(scorer));
 * writer.scored("c-17", prediction);
 * writer.failed("c-18", "Invalid input for field 'age': ...");
 * writer.flush();
 * }</pre>
 */
final class PredictionCsvWriter {
    static final String ERROR = "error";
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private final CSVPrinter printer;
    private final PredictionColumns columns;
    private final boolean withId;
    private final List<String> cells;

    /** Writes the header; {@code idColumn} is {@code null} when no id is copied. */
    PredictionCsvWriter(Appendable out, String idColumn, PredictionColumns columns) throws IOException {
        this.printer = new CSVPrinter(out, FORMAT); // never closed: that would close the caller's stream
        this.columns = columns;
        this.withId = idColumn != null;
        this.cells = new ArrayList<>(columns.names().size() + 2);
        List<String> header = new ArrayList<>();
        if (withId) {
            header.add(idColumn);
        }
        header.addAll(columns.names());
        header.add(ERROR);
        printer.printRecord(header);
    }

    /** A scored row. */
    void scored(String id, Prediction prediction) throws IOException {
        print(id, columns.cells(prediction), "");
    }

    /** A row that could not be scored, and why. */
    void failed(String id, String error) throws IOException {
        print(id, columns.emptyCells(), error);
    }

    private void print(String id, List<String> predictionCells, String error) throws IOException {
        cells.clear();
        if (withId) {
            cells.add(id);
        }
        cells.addAll(predictionCells);
        cells.add(error);
        cells.replaceAll(cell -> cell.isEmpty() ? null : cell); // printed bare: a leading empty cell would be quoted ("")
        printer.printRecord(cells);
    }

    void flush() throws IOException {
        printer.flush();
    }
}
