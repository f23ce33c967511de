package dev.handoff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The data scientist's {@code input.csv} and {@code expected.csv} (the corpus format: header line, one row
 * per record, {@code label}, {@code probability(<class>)}..., {@code value} or output columns) turned into
 * {@link VerificationCase}s.
 */
final class VerificationCsv {
    static final String LABEL = "label";
    static final String VALUE = "value";
    /** The column {@code handoff score} adds for rows it could not score: not an answer. */
    static final String ERROR = "error";
    private static final String PROBABILITY = "probability(";

    /** A CSV file read whole: header first. */
    record Table(String source, List<CsvText.Row> rows) {

        List<String> header() {
            if (rows.isEmpty()) {
                throw new IllegalArgumentException("CSV file " + source + " is empty: it needs a header line naming the columns");
            }
            List<String> header = rows.get(0).cells();
            Set<String> seen = new HashSet<>();
            for (int c = 0; c < header.size(); c++) {
                if (header.get(c).isBlank()) {
                    throw new IllegalArgumentException("CSV file " + source + ": header column " + (c + 1) + " has no name");
                }
                if (!seen.add(header.get(c))) {
                    throw new IllegalArgumentException("CSV file " + source + ": column '" + header.get(c) + "' appears twice in the header");
                }
            }
            return header;
        }

        List<CsvText.Row> body() {
            return rows.subList(1, rows.size());
        }

        /** The cells of a body row, as many as the header has; a longer row is an error. */
        List<String> cells(CsvText.Row row, int columns) {
            List<String> cells = row.cells();
            if (cells.size() > columns) {
                throw new IllegalArgumentException("CSV file " + source + ": line " + row.line() + " has " + cells.size()
                        + " cells, but the header has only " + columns + " columns");
            }
            List<String> padded = new ArrayList<>(cells);
            while (padded.size() < columns) {
                padded.add("");
            }
            return padded;
        }
    }

    private VerificationCsv() {
    }

    static List<VerificationCase> cases(Table input, Table expected) {
        List<String> inputHeader = input.header();
        List<String> expectedHeader = expected.header();
        if (input.body().size() != expected.body().size()) {
            throw new IllegalArgumentException("the input " + input.source() + " has " + input.body().size() + " rows, but "
                    + expected.source() + " has " + expected.body().size() + "; row i of one must be row i of the other");
        }
        List<VerificationCase> cases = new ArrayList<>(input.body().size());
        for (int r = 0; r < input.body().size(); r++) {
            CsvText.Row inputRow = input.body().get(r);
            List<String> inputCells = input.cells(inputRow, inputHeader.size());
            Map<String, Object> record = new LinkedHashMap<>(inputHeader.size() * 2);
            for (int c = 0; c < inputHeader.size(); c++) {
                if (!inputCells.get(c).isEmpty()) {
                    record.put(inputHeader.get(c), inputCells.get(c)); // an empty cell stays absent: missing
                }
            }
            CsvText.Row expectedRow = expected.body().get(r);
            VerificationCase.Builder c = VerificationCase.builder(record).name("row " + r + " (line " + inputRow.line() + ")");
            expect(c, expectedHeader, expected.cells(expectedRow, expectedHeader.size()), expected.source(), expectedRow.line());
            cases.add(c.build());
        }
        return cases;
    }

    private static void expect(VerificationCase.Builder c, List<String> header, List<String> cells, String source, int line) {
        boolean any = false;
        for (int j = 0; j < header.size(); j++) {
            String column = header.get(j);
            String cell = cells.get(j);
            if (cell.isEmpty() || column.equals(ERROR)) {
                continue;
            }
            any = true;
            if (column.equals(LABEL)) {
                c.label(cell);
            } else if (column.equals(VALUE)) {
                c.value(number(cell, column, source, line));
            } else if (column.startsWith(PROBABILITY) && column.endsWith(")")) {
                c.probability(column.substring(PROBABILITY.length(), column.length() - 1), number(cell, column, source, line));
            } else {
                c.output(column, cell);
            }
        }
        if (!any) {
            c.noPrediction(); // as the corpus writes an NA of the framework
        }
    }

    private static double number(String cell, String column, String source, int line) {
        Double d = parseNumber(cell);
        if (d == null) {
            throw new IllegalArgumentException("CSV file " + source + ", line " + line + ", column " + column + ": '" + cell
                    + "' is not a number");
        }
        return d;
    }

    /**
     * A number as Python, R or Java write it ({@code 1e-05}, {@code nan}, {@code inf}, {@code NaN},
     * {@code Infinity}); {@code null} when the text is not one.
     */
    static Double parseNumber(String text) {
        String t = text.strip();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (t.isEmpty() || !(Character.isDigit(t.charAt(t.length() - 1)) || t.endsWith("."))) {
            return null; // Double.parseDouble also takes "1d" and "0x1p3", which no CSV means as numbers
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
