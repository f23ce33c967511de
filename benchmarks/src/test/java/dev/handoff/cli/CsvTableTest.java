package dev.handoff.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvTableTest {

    @Test
    void emptyCellsAreLeftOutOfTheRecord() throws IOException {
        CsvTable table = parse("a,b,c\n1,,x\n,2\n");

        assertEquals(List.of(Map.of("a", "1", "c", "x"), Map.of("b", "2")), table.records());
        assertEquals("", table.cell(1, 2));
    }

    @Test
    void quotedCellsMayHoldCommasAndQuotes() throws IOException {
        CsvTable table = parse("name,plan\n\"Smith, J.\",\"the \"\"best\"\" plan\"\n");

        assertEquals(Map.of("name", "Smith, J.", "plan", "the \"best\" plan"), table.records().get(0));
    }

    @Test
    void byteOrderMarkOfASpreadsheetExportIsNotPartOfTheFirstColumnName() throws IOException {
        assertEquals(List.of("age", "plan"), parse("\uFEFFage,plan\n1,basic\n").header());
    }

    @Test
    void rowLongerThanTheHeaderIsRejectedNamingTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("a,b\n1,2\n1,2,3\n"));

        assertTrue(e.getMessage().contains("line 3 has 3 cells, but the header has only 2 columns"), e.getMessage());
    }

    @Test
    void duplicateOrEmptyHeaderIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> parse("a,a\n1,2\n"));
        assertThrows(IllegalArgumentException.class, () -> parse(""));
    }

    @Test
    void allEmptyRowIsRecognised() throws IOException {
        CsvTable table = parse("label,p\n,\nx,1\n");

        assertTrue(table.isEmptyRow(0));
        assertEquals(false, table.isEmptyRow(1));
    }

    private static CsvTable parse(String text) throws IOException {
        return CsvTable.parse(new StringReader(text), "test.csv");
    }
}
