package dev.handoff.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the results of {@code score} as CSV: the {@link PredictionColumns}, one line per input
 * row in input order, with {@code \n} line ends as in the corpus. When some row could not be
 * scored, a last column {@code error} holds its reason and its prediction cells are empty; when
 * every row was scored there is no {@code error} column, so the file has exactly the layout of an
 * {@code expected.csv}.
 */
final class PredictionCsvWriter {
    static final String ERROR = "error";
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private PredictionCsvWriter() {
    }

    static void write(Appendable out, PredictionColumns columns, List<RowResult> results) throws IOException {
        boolean withErrors = results.stream().anyMatch(r -> !r.isScored());
        List<String> header = new ArrayList<>(columns.names());
        if (withErrors) {
            header.add(ERROR);
        }
        CSVPrinter printer = new CSVPrinter(out, FORMAT); // not closed: that would close the caller's stream
        printer.printRecord(header);
        for (RowResult result : results) {
            List<String> cells = new ArrayList<>(result.isScored() ? columns.cells(result.prediction()) : columns.emptyCells());
            if (withErrors) {
                cells.add(result.isScored() ? "" : result.error());
            }
            cells.replaceAll(cell -> cell.isEmpty() ? null : cell); // printed bare: a leading empty cell would be quoted ("")
            printer.printRecord(cells);
        }
        printer.flush();
    }
}
