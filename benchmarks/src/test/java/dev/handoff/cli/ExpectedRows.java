package dev.handoff.cli;

import dev.handoff.testing.CorpusModel;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions of written prediction rows against a corpus case's {@code expected.csv}. */
final class ExpectedRows {

    private ExpectedRows() {
    }

    /** Row {@code row} of the output ({@code cells}, prediction columns first) equals expected row {@code row} within the case's tolerance. */
    static void assertRowMatches(CorpusModel model, int row, List<String> cells) {
        List<String> expected = model.expectedRows().get(row);
        List<String> columns = model.expectedColumns();
        for (int c = 0; c < columns.size(); c++) {
            String want = expected.get(c);
            String got = cells.get(c);
            if (columns.get(c).equals("label") || want.isEmpty()) {
                assertEquals(want, got, model + " row " + row + " column " + columns.get(c));
            } else {
                double difference = Math.abs(Double.parseDouble(want) - Double.parseDouble(got));
                assertTrue(difference <= model.tolerance(), model + " row " + row + " column " + columns.get(c)
                        + ": expected " + want + ", got " + got);
            }
        }
    }
}
