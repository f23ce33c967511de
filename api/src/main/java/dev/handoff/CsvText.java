package dev.handoff;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV text (RFC 4180: commas, optional double quotes with {@code ""} for a quote, LF or CRLF
 * line ends, line breaks inside quotes) into rows, each with the line it starts on. Blank lines are
 * skipped and a leading byte order mark is dropped, as spreadsheet and pandas exports need.
 *
 * <p>Written here rather than taken from commons-csv, whose current versions bring commons-io and
 * commons-codec into every service that depends on {@code handoff-api}; verification files are small
 * and read whole.
 */
final class CsvText {

    /**
     * One record of the file.
     *
     * @param line the 1-based line the record starts on
     * @param cells the cells, unquoted
     */
    record Row(int line, List<String> cells) {
    }

    private CsvText() {
    }

    /** Reads every record; {@code source} names the text in the message of a malformed file. */
    static List<Row> read(Reader reader, String source) throws IOException {
        StringBuilder all = new StringBuilder();
        char[] buffer = new char[8192];
        for (int n; (n = reader.read(buffer)) >= 0; ) {
            all.append(buffer, 0, n);
        }
        return parse(all, source);
    }

    static List<Row> parse(CharSequence text, String source) {
        List<Row> rows = new ArrayList<>();
        int i = text.length() > 0 && text.charAt(0) == '\uFEFF' ? 1 : 0;
        int line = 1;
        int n = text.length();
        while (i < n) {
            int startLine = line;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quotedCell = false;
            boolean endOfRecord = false;
            while (!endOfRecord) {
                if (i >= n) {
                    cells.add(cell.toString());
                    break;
                }
                char c = text.charAt(i);
                if (c == '"' && cell.length() == 0 && !quotedCell) {
                    quotedCell = true;
                    int openedOn = line;
                    int close = i + 1;
                    while (true) {
                        if (close >= n) {
                            throw new IllegalArgumentException("CSV file " + source + ": the quoted cell that starts on line "
                                    + openedOn + " is never closed");
                        }
                        char q = text.charAt(close);
                        if (q == '"') {
                            if (close + 1 < n && text.charAt(close + 1) == '"') {
                                cell.append('"');
                                close += 2;
                                continue;
                            }
                            break;
                        }
                        if (q == '\n') {
                            line++;
                        }
                        cell.append(q);
                        close++;
                    }
                    i = close + 1;
                    if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                        throw new IllegalArgumentException("CSV file " + source + ", line " + line
                                + ": text after the closing quote of a cell; a quote inside a quoted cell is written \"\"");
                    }
                    continue;
                }
                if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                    quotedCell = false;
                    i++;
                } else if (c == '\n' || c == '\r') {
                    cells.add(cell.toString());
                    i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
                    line++;
                    endOfRecord = true;
                } else {
                    cell.append(c);
                    i++;
                }
            }
            boolean blank = cells.size() == 1 && cells.get(0).isEmpty() && !quotedCell;
            if (!blank) {
                rows.add(new Row(startLine, List.copyOf(cells)));
            }
        }
        return rows;
    }
}
