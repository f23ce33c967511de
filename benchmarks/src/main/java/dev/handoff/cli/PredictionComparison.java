package dev.handoff.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison of scored rows with an {@code expected.csv}, column by column: the {@code label}
 * column must match exactly, numeric cells within the tolerance (cells of several space-separated
 * numbers value by value), other cells exactly. An expected row whose cells are all empty means
 * "no prediction": it matches a row that could not be scored, and only such a row. Columns the
 * model gives but {@code expected.csv} lacks are not compared.
 */
final class PredictionComparison {
    private static final int DETAILS_SHOWN = 10;

    private final List<String> columns;
    private final double tolerance;
    private final double[] maxAbsError;
    private final int[] mismatchingRowsPerColumn;
    private final List<String> missingColumns = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private final int inputRows;
    private final int expectedRows;
    private int unscoredRows;
    private int mismatchingRows;

    private PredictionComparison(List<String> columns, double tolerance, int inputRows, int expectedRows) {
        this.columns = columns;
        this.tolerance = tolerance;
        this.maxAbsError = new double[columns.size()];
        java.util.Arrays.fill(maxAbsError, -1);
        this.mismatchingRowsPerColumn = new int[columns.size()];
        this.inputRows = inputRows;
        this.expectedRows = expectedRows;
    }

    static PredictionComparison compare(PredictionColumns produced, List<RowResult> results, CsvTable expected, double tolerance) {
        List<String> names = expected.header();
        PredictionComparison c = new PredictionComparison(names, tolerance, results.size(), expected.rows().size());
        int[] producedIndex = new int[names.size()];
        for (int j = 0; j < names.size(); j++) {
            producedIndex[j] = produced.names().indexOf(names.get(j));
            if (producedIndex[j] < 0) {
                c.missingColumns.add(names.get(j));
            }
        }
        if (!c.missingColumns.isEmpty()) {
            c.details.add("the model gives the columns " + produced.names() + ", not " + c.missingColumns);
            return c;
        }
        if (results.size() != expected.rows().size()) {
            c.details.add("the input has " + results.size() + " rows, but " + expected.source() + " has " + expected.rows().size());
        }
        for (int r = 0; r < Math.min(results.size(), expected.rows().size()); r++) {
            c.compareRow(r, results.get(r), produced, producedIndex, expected);
        }
        return c;
    }

    private void compareRow(int r, RowResult result, PredictionColumns produced, int[] producedIndex, CsvTable expected) {
        boolean noPredictionExpected = expected.isEmptyRow(r);
        if (!result.isScored()) {
            unscoredRows++;
            if (!noPredictionExpected) {
                mismatchingRows++;
                detail(rowName(r) + ": a prediction was expected, but the row could not be scored: " + result.error());
            }
            return;
        }
        List<String> cells = produced.cells(result.prediction());
        if (noPredictionExpected) {
            mismatchingRows++;
            detail(rowName(r) + ": no prediction was expected, but the model gave " + cells);
            return;
        }
        boolean rowMatches = true;
        for (int j = 0; j < columns.size(); j++) {
            String want = expected.cell(r, j);
            String got = cells.get(producedIndex[j]);
            boolean label = columns.get(j).equals(PredictionColumns.LABEL);
            double difference = label ? -1 : numericDifference(want, got);
            if (difference >= 0) {
                maxAbsError[j] = Math.max(maxAbsError[j], difference);
            }
            boolean matches = difference >= 0 ? difference <= tolerance : want.equals(got);
            if (!matches) {
                mismatchingRowsPerColumn[j]++;
                rowMatches = false;
                detail(rowName(r) + ", column " + columns.get(j) + ": expected " + want + ", got " + got
                        + (difference >= 0 ? " (abs error " + PythonFloatFormat.repr(difference) + ")" : ""));
            }
        }
        if (!rowMatches) {
            mismatchingRows++;
        }
    }

    /** The largest |expected - actual| over the values of two numeric cells, or -1 when they are not both numeric. */
    static double numericDifference(String expected, String actual) {
        String[] want = expected.strip().split("\\s+");
        String[] got = actual.strip().split("\\s+");
        if (want.length != got.length) {
            return -1;
        }
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            Double w = PythonFloatFormat.parse(want[i]);
            Double g = PythonFloatFormat.parse(got[i]);
            if (w == null || g == null) {
                return -1;
            }
            if (w.equals(g)) {
                continue; // also NaN = NaN and inf = inf
            }
            double d = Math.abs(w - g);
            max = Math.max(max, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
        }
        return max;
    }

    private static String rowName(int r) {
        return "row " + r + " (line " + (r + 2) + ")";
    }

    private void detail(String text) {
        details.add(text);
    }

    /** Whether every expected column is given and every row matches. */
    boolean matches() {
        return missingColumns.isEmpty() && inputRows == expectedRows && mismatchingRows == 0;
    }

    /** Per-column maximum absolute error, mismatch counts, and the first mismatches. */
    void print(PrintWriter out) {
        out.println("rows:      " + inputRows + " in the input, " + expectedRows + " expected; tolerance " + PythonFloatFormat.repr(tolerance));
        int width = Math.max("column".length(), columns.stream().mapToInt(String::length).max().orElse(0));
        out.println(pad("column", width) + "  " + pad("max abs error", 24) + "  mismatching rows");
        for (int j = 0; j < columns.size(); j++) {
            String error = maxAbsError[j] < 0 ? "-" : PythonFloatFormat.repr(maxAbsError[j]);
            out.println(pad(columns.get(j), width) + "  " + pad(error, 24) + "  " + mismatchingRowsPerColumn[j]);
        }
        out.println("not scored: " + unscoredRows + " rows");
        out.println("mismatching rows: " + mismatchingRows + " of " + Math.min(inputRows, expectedRows));
        for (int i = 0; i < Math.min(DETAILS_SHOWN, details.size()); i++) {
            out.println("  " + details.get(i));
        }
        if (details.size() > DETAILS_SHOWN) {
            out.println("  ... and " + (details.size() - DETAILS_SHOWN) + " more");
        }
        out.println(matches() ? "OK" : "MISMATCH");
        out.flush();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
