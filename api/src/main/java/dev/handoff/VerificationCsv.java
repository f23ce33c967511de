package dev.handoff;

import dev.handoff.internal.DecimalNumbers;
import dev.handoff.internal.csv.CsvReader;
import dev.handoff.internal.csv.UnreadableTextException;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** A CSV file read whole through the one bounded {@link CsvReader}: its checked header and its records. */
    record Table(String source, List<String> header, List<CsvReader.Row> body) {

        /**
         * Reads {@code reader} to its end (not closing it); {@code source} names it in messages.
         *
         * @throws IllegalArgumentException when the text is malformed (broken quoting, a record beyond the
         *         bound, bytes not valid in its encoding, a bad header)
         * @throws IOException when it cannot be read
         */
        static Table read(Reader reader, String source) throws IOException {
            CsvReader csv = new CsvReader(reader, source, ',', CsvReader.DEFAULT_MAX_RECORD_CHARS);
            try {
                List<String> header = csv.header();
                List<CsvReader.Row> body = new ArrayList<>();
                for (CsvReader.Row row; (row = csv.next()) != null; ) {
                    body.add(row);
                }
                return new Table(source, header, body);
            } catch (UnreadableTextException malformed) {
                throw new IllegalArgumentException(malformed.getMessage(), malformed);
            }
        }

        /** The cells of a body row, as many as the header has; a shorter or longer row is an error. */
        List<String> cells(CsvReader.Row row) {
            List<String> cells = row.cells();
            if (cells.size() != header.size()) {
                throw new IllegalArgumentException("CSV file " + source + ": line " + row.line() + " has " + cells.size()
                        + (cells.size() == 1 ? " cell" : " cells") + ", but the header has " + header.size() + " columns");
            }
            return cells;
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
            CsvReader.Row inputRow = input.body().get(r);
            List<String> inputCells = input.cells(inputRow);
            Map<String, Object> record = new LinkedHashMap<>(inputHeader.size() * 2);
            for (int c = 0; c < inputHeader.size(); c++) {
                if (!inputCells.get(c).isEmpty()) {
                    record.put(inputHeader.get(c), inputCells.get(c)); // an empty cell stays absent: missing
                }
            }
            CsvReader.Row expectedRow = expected.body().get(r);
            VerificationCase.Builder c = VerificationCase.builder(record).name("row " + r + " (line " + inputRow.line() + ")");
            expect(c, expectedHeader, expected.cells(expectedRow), expected.source(), expectedRow.line());
            cases.add(c.build());
        }
        return cases;
    }

    private static void expect(VerificationCase.Builder c, List<String> header, List<String> cells, String source, long line) {
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

    private static double number(String cell, String column, String source, long line) {
        try {
            return DecimalNumbers.parse(cell);
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("CSV file " + source + ", line " + line + ", column " + column + ": "
                    + notANumber.getMessage(), notANumber);
        }
    }
}
