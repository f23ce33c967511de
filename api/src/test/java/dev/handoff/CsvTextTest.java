package dev.handoff;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvTextTest {

    @Test
    void quotedCellsKeepCommasQuotesAndLineBreaksAndRowsKnowTheirLine() {
        List<CsvText.Row> rows = CsvText.parse("\uFEFFa,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",3\nlast,\n", "t");

        assertEquals(List.of("a", "b"), rows.get(0).cells());
        assertEquals(List.of("x, y", "say \"hi\""), rows.get(1).cells());
        assertEquals(2, rows.get(1).line());
        assertEquals(List.of("two\nlines", "3"), rows.get(2).cells());
        assertEquals(4, rows.get(2).line());
        assertEquals(List.of("last", ""), rows.get(3).cells());
        assertEquals(6, rows.get(3).line());
        assertEquals(4, rows.size());
    }

    @Test
    void lastLineWithoutLineBreakIsARow() {
        assertEquals(List.of(List.of("a"), List.of("1")), CsvText.parse("a\n1", "t").stream().map(CsvText.Row::cells).toList());
    }

    @Test
    void unclosedQuoteAndTextAfterAClosingQuoteAreErrorsNamingTheLine() {
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class, () -> CsvText.parse("a\n\"never closed\n", "f.csv"));
        IllegalArgumentException after = assertThrows(IllegalArgumentException.class, () -> CsvText.parse("a\n\"x\"y\n", "f.csv"));

        assertTrue(open.getMessage().contains("f.csv: the quoted cell that starts on line 2 is never closed"), open.getMessage());
        assertTrue(after.getMessage().contains("f.csv, line 2: text after the closing quote"), after.getMessage());
    }
}
