package dev.handoff.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvRowReaderTest {

    @Test
    void quotedCellsMayHoldCommasAndQuotesAndEmptyCellsStayEmpty() throws IOException {
        try (CsvRowReader rows = reader("name,plan,x\n\"Smith, J.\",\"the \"\"best\"\" plan\",\n")) {
            assertEquals(List.of("Smith, J.", "the \"best\" plan", ""), rows.next().cells());
        }
    }

    @Test
    void rowsKeepTheirLineNumbers() throws IOException {
        try (CsvRowReader rows = reader("a,b\n1,2\n\n3,4\n")) {
            List<Long> lines = new ArrayList<>();
            for (dev.handoff.internal.csv.CsvReader.Row row; (row = rows.next()) != null; ) {
                lines.add(row.line());
            }
            assertEquals(List.of(2L, 4L), lines);
        }
    }

    @Test
    void byteOrderMarkOfASpreadsheetExportIsNotPartOfTheFirstColumnName() throws IOException {
        try (CsvRowReader rows = reader("\uFEFFage,plan\n1,basic\n")) {
            assertEquals(List.of("age", "plan"), rows.header());
        }
    }

    @Test
    void duplicateBlankOrMissingHeaderIsRejected() {
        assertEquals("CSV file test.csv: column 'a' appears twice in the header",
                assertThrows(IllegalArgumentException.class, () -> reader("a,a\n1,2\n")).getMessage());
        assertEquals("CSV file test.csv: header column 2 has no name",
                assertThrows(IllegalArgumentException.class, () -> reader("a, \n1,2\n")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> reader(""));
    }

    private static CsvRowReader reader(String text) throws IOException {
        return CsvRowReader.of(new StringReader(text), "test.csv", ',');
    }
}
