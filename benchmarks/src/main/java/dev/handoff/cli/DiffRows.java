package dev.handoff.cli;

import dev.handoff.ModelComparison;
import dev.handoff.Scorer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-row file of {@code diff --output}: the {@code --id} column when given, else {@code row} (0 = the first
 * data row), A's and B's prediction columns as {@code score} writes them (prefixed {@code a:} and {@code b:}),
 * {@code abs(<output>)} per numeric output both models give, {@code agrees}, and {@code error} for a row a model
 * could not score.
 */
final class DiffRows implements AutoCloseable {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private final Writer out;
    private final CSVPrinter printer;
    private final boolean withId;
    private final PredictionColumns columnsA;
    private final PredictionColumns columnsB;
    private final List<String> differences = new ArrayList<>();
    private final List<String> cells = new ArrayList<>();

    /** Writes the header; {@code compared} are the outputs the comparison reports (from a report of no rows). */
    DiffRows(Writer out, String idColumn, Scorer a, Scorer b, List<ModelComparison.Output> compared) throws IOException {
        this.out = out;
        this.printer = new CSVPrinter(out, FORMAT);
        this.withId = idColumn != null;
        this.columnsA = PredictionColumns.of(a);
        this.columnsB = PredictionColumns.of(b);
        compared.stream().map(ModelComparison.Output::name).filter(n -> !n.equals(PredictionColumns.LABEL)).forEach(differences::add);
        List<String> header = new ArrayList<>();
        header.add(withId ? idColumn : "row");
        columnsA.names().forEach(n -> header.add("a:" + n));
        columnsB.names().forEach(n -> header.add("b:" + n));
        differences.forEach(n -> header.add("abs(" + n + ")"));
        header.add("agrees");
        header.add(PredictionCsvWriter.ERROR);
        printer.printRecord(header);
    }

    void write(ModelComparison.RowComparison row) {
        cells.clear();
        cells.add(withId ? row.id() : Long.toString(row.row()));
        String error = "";
        if (row.a() == null || row.a().failed()) {
            cells.addAll(columnsA.emptyCells());
            error = "A: " + (row.a() == null ? "the model call failed" : row.a().failure().orElseThrow().getMessage());
        } else {
            cells.addAll(columnsA.cells(row.a()));
        }
        if (row.b() == null || row.b().failed()) {
            cells.addAll(columnsB.emptyCells());
            error = (error.isEmpty() ? "" : error + "; ") + "B: " + (row.b() == null ? "the model call failed"
                    : row.b().failure().orElseThrow().getMessage());
        } else {
            cells.addAll(columnsB.cells(row.b()));
        }
        for (String name : differences) {
            Double abs = row.absoluteDifferences().get(name);
            cells.add(abs == null ? "" : PythonFloatFormat.repr(abs));
        }
        cells.add(Boolean.toString(row.agrees()));
        cells.add(error);
        cells.replaceAll(cell -> cell == null || cell.isEmpty() ? null : cell);
        try {
            printer.printRecord(cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        printer.flush();
        out.close();
    }
}
