package dev.handoff.internal.csv;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {

    @Test
    void quotedCellsKeepCommasQuotesAndLineBreaksAndRowsKnowTheLineTheyStartOn() throws IOException {
        List<CsvReader.Row> rows = rows("\uFEFFa,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",3\r\nlast,\n");

        assertEquals(List.of(
                new CsvReader.Row(1, List.of("a", "b")),
                new CsvReader.Row(2, List.of("x, y", "say \"hi\"")),
                new CsvReader.Row(4, List.of("two\nlines", "3")),
                new CsvReader.Row(6, List.of("last", ""))), rows);
    }

    @Test
    void lastLineWithoutLineBreakIsARowAndOldMacLineEndsEndRecords() throws IOException {
        assertEquals(List.of(List.of("a"), List.of("1")), rows("a\n1").stream().map(CsvReader.Row::cells).toList());
        assertEquals(List.of(new CsvReader.Row(1, List.of("a")), new CsvReader.Row(2, List.of("1"))), rows("a\r1\r"));
    }

    /** pandas' {@code to_csv(encoding='utf-8-sig', quoting=csv.QUOTE_ALL)}. */
    @Test
    void byteOrderMarkFollowedByAQuotedHeaderIsUnquoted() throws IOException {
        byte[] bytes = "\uFEFF\"hp\",\"wt\"\r\n\"110\",\"2.62\"\r\n".getBytes(StandardCharsets.UTF_8);
        try (CsvReader csv = new CsvReader(new DecodingReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8, "cars.csv",
                "hint"), "cars.csv", ',', 100)) {
            assertEquals(List.of("hp", "wt"), csv.header());
            assertEquals(List.of("110", "2.62"), csv.next().cells());
        }
    }

    @Test
    void shortAndLongRowsAreGivenAsWrittenForTheCallerToJudge() throws IOException {
        assertEquals(List.of(List.of("a", "b", "c"), List.of("1", "2"), List.of("1", "2", "3", "4"), List.of("", "", "")),
                rows("a,b,c\n1,2\n1,2,3,4\n,,\n").stream().map(CsvReader.Row::cells).toList());
    }

    @Test
    void anotherDelimiterSeparatesAndACommaIsThenText() throws IOException {
        try (CsvReader csv = new CsvReader(new StringReader("a;b\n1,5;\"x;y\"\n"), "t", ';', 100)) {
            assertEquals(List.of("a", "b"), csv.header());
            assertEquals(List.of("1,5", "x;y"), csv.next().cells());
        }
    }

    @Test
    void unclosedQuoteAndTextAfterAClosingQuoteAreErrorsNamingTheLine() {
        UnreadableTextException open = assertThrows(UnreadableTextException.class, () -> rows("a\n\"never closed\n"));
        UnreadableTextException after = assertThrows(UnreadableTextException.class, () -> rows("a\n\"x\"y\n"));

        assertEquals("CSV file f.csv: the quoted cell that starts on line 2 is never closed", open.getMessage());
        assertTrue(after.getMessage().startsWith("CSV file f.csv, line 2: text after the closing quote"), after.getMessage());
    }

    /** A 200 MB line, or /dev/zero: refused at the bound, having read little more than it. */
    @Test
    void endlessLineIsRefusedAtTheBoundNamingItsLineAndTheBound() throws IOException {
        EndlessReader endless = new EndlessReader("a,b\n1,2\n", 'x');
        try (CsvReader csv = new CsvReader(endless, "zero.csv", ',', 1_000_000)) {
            csv.header();
            csv.next();
            UnreadableTextException tooLong = assertThrows(UnreadableTextException.class, csv::next);

            assertEquals("CSV file zero.csv: the record on line 3 is longer than 1,000,000 characters, the most a record may have "
                    + "(is this a CSV file?)", tooLong.getMessage());
            assertTrue(endless.served < 1_200_000, endless.served + " chars read");
        }
    }

    @Test
    void quoteNeverClosedInAnEndlessFileIsRefusedAtTheBound() throws IOException {
        try (CsvReader csv = new CsvReader(new EndlessReader("a\n\"", '\n'), "cut.csv", ',', 1000)) {
            csv.header();
            UnreadableTextException tooLong = assertThrows(UnreadableTextException.class, csv::next);
            assertEquals("CSV file cut.csv: the record on line 2 is longer than 1,000 characters, the most a record may have "
                    + "(a quote opened there may never be closed)", tooLong.getMessage());
        }
    }

    @Test
    void duplicateBlankOrMissingHeaderIsRejected() {
        assertEquals("CSV file f.csv: column 'a' appears twice in the header",
                assertThrows(IllegalArgumentException.class, () -> header("a,a\n1,2\n")).getMessage());
        assertEquals("CSV file f.csv: header column 2 has no name",
                assertThrows(IllegalArgumentException.class, () -> header("a, \n1,2\n")).getMessage());
        assertEquals("CSV file f.csv is empty: it needs a header line naming the columns",
                assertThrows(IllegalArgumentException.class, () -> header("\n\n")).getMessage());
    }

    @Test
    void invalidUtf8NamesTheLineNotInputLength() {
        byte[] bytes = "a,b\n1,2\n3,s\u00f6uth\n".getBytes(StandardCharsets.ISO_8859_1);
        UnreadableTextException e = assertThrows(UnreadableTextException.class, () -> {
            try (CsvReader csv = new CsvReader(new DecodingReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8, "f.csv",
                    "save it as UTF-8"), "f.csv", ',', 100)) {
                while (csv.next() != null) {
                    // read on to the bad byte
                }
            }
        });
        assertEquals("f.csv: line 3 is not valid UTF-8 (byte 0xF6); the file may be in another encoding: save it as UTF-8",
                e.getMessage());
    }

    private static List<String> header(String text) throws IOException {
        try (CsvReader csv = new CsvReader(new StringReader(text), "f.csv", ',', 1000)) {
            return csv.header();
        }
    }

    private static List<CsvReader.Row> rows(String text) throws IOException {
        List<CsvReader.Row> rows = new ArrayList<>();
        try (CsvReader csv = new CsvReader(new StringReader(text), "f.csv", ',', 1000)) {
            for (CsvReader.Row row; (row = csv.next()) != null; ) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** {@code prefix}, then {@code filler} for ever. */
    private static final class EndlessReader extends Reader {
        private final String prefix;
        private final char filler;
        long served;

        EndlessReader(String prefix, char filler) {
            this.prefix = prefix;
            this.filler = filler;
        }

        @Override
        public int read(char[] target, int offset, int length) {
            for (int i = 0; i < length; i++) {
                target[offset + i] = served < prefix.length() ? prefix.charAt((int) served) : filler;
                served++;
            }
            return length;
        }

        @Override
        public void close() {
        }
    }
}
