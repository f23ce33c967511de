package dev.handoff.internal.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads CSV text one record at a time, in memory bounded by the longest record it accepts: RFC 4180
 * (optional double quotes with {@code ""} for a quote, line breaks inside quotes, LF, CRLF or CR line
 * ends), any one-character delimiter. A leading byte order mark is dropped before anything else, so
 * that a quoted header after it ({@code pandas.to_csv(encoding='utf-8-sig', quoting=QUOTE_ALL)}) is
 * unquoted like any other; blank lines are skipped. The command line's {@code score} and {@code verify}
 * and {@code Verification.fromCsv} read through this one class.
 *
 * <pre>{@code
 * try (CsvReader csv = new CsvReader(new DecodingReader(in, UTF_8, "rows.csv", hint), "rows.csv", ',',
 *         CsvReader.DEFAULT_MAX_RECORD_CHARS)) {
 *     List<String> header = csv.header();
 *     for (CsvReader.Row row; (row = csv.next()) != null; ) { ... row.cells() ... row.line() ... }
 * }
 * }</pre>
 *
 * <p>A record longer than its bound (a 200 MB line, {@code /dev/zero}, a quote never closed in a big
 * file) fails with {@link UnreadableTextException} naming its line and the bound, having held no more
 * than the bound in memory.
 */
public final class CsvReader implements Closeable {
    /** The longest record read by default, in chars: far beyond a row of ten thousand features. */
    public static final int DEFAULT_MAX_RECORD_CHARS = 1 << 22;
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final int BUFFER_CHARS = 1 << 16;

    /**
     * One record of the file.
     *
     * @param line the 1-based line the record starts on
     * @param cells the cells, unquoted
     */
    public record Row(long line, List<String> cells) {
        public Row {
            cells = List.copyOf(cells);
        }
    }

    private final Reader in;
    private final String source;
    private final char delimiter;
    private final int maxRecordChars;
    private final char[] buffer = new char[BUFFER_CHARS];
    private int position;
    private int limit;
    private boolean started;
    private boolean headerRead;
    /** The line the next char is on. */
    private long line = 1;
    private long recordLine;
    private int recordChars;

    /**
     * Reads CSV text from {@code in} (closed with this reader).
     *
     * @param source names the text in messages (a file name, {@code <standard input>})
     * @param delimiter the column separator; not a quote or a line break
     * @param maxRecordChars the longest record accepted, in chars, at least 1
     */
    public CsvReader(Reader in, String source, char delimiter, int maxRecordChars) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("a CSV delimiter cannot be a quote or a line break");
        }
        if (maxRecordChars < 1) {
            throw new IllegalArgumentException("maxRecordChars must be at least 1, got " + maxRecordChars);
        }
        this.in = in;
        this.source = source;
        this.delimiter = delimiter;
        this.maxRecordChars = maxRecordChars;
    }

    /** Where the text comes from, for messages. */
    public String source() {
        return source;
    }

    /**
     * The first record, as column names: call before {@link #next()}.
     *
     * @throws IllegalArgumentException when the text is empty, or a column name is blank or repeated
     * @throws UnreadableTextException when the first record cannot be read
     */
    public List<String> header() throws IOException {
        if (headerRead) {
            throw new IllegalStateException("the header of " + source + " was read already");
        }
        Row first = next();
        headerRead = true;
        if (first == null) {
            throw new IllegalArgumentException("CSV file " + source + " is empty: it needs a header line naming the columns");
        }
        List<String> header = first.cells();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            if (name.isBlank()) {
                throw new IllegalArgumentException("CSV file " + source + ": header column " + (c + 1) + " has no name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("CSV file " + source + ": column '" + bounded(name) + "' appears twice in the header");
            }
        }
        return header;
    }

    /**
     * The next record, or {@code null} after the last one. Blank lines are skipped; an empty cell is {@code ""}.
     *
     * @throws UnreadableTextException naming the line when the record is longer than the bound, has
     *         broken quoting, or the text cannot be decoded
     */
    public Row next() throws IOException {
        headerRead = true;
        if (!started) {
            started = true;
            if (peek() == BYTE_ORDER_MARK) {
                position++; // spreadsheet and pandas utf-8-sig exports start with one
            }
        }
        while (true) {
            if (peek() < 0) {
                return null;
            }
            recordLine = line;
            recordChars = 0;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = readCell(cell);
            boolean anyQuoted = quoted;
            while (true) {
                cells.add(cell.toString());
                int c = read();
                if (c == delimiter) {
                    cell.setLength(0);
                    anyQuoted |= readCell(cell);
                    continue;
                }
                if (c == '\r' && peek() == '\n') {
                    position++;
                }
                if (c >= 0) {
                    line++;
                }
                break;
            }
            if (cells.size() == 1 && cells.get(0).isEmpty() && !anyQuoted) {
                continue; // a blank line
            }
            return new Row(recordLine, cells);
        }
    }

    /** Reads one cell into {@code cell}, leaving the delimiter or line end unread; whether it was quoted. */
    private boolean readCell(StringBuilder cell) throws IOException {
        if (peek() != '"') {
            while (position < limit || fill()) { // whole runs of the buffer at a time: the common, unquoted cell
                int start = position;
                while (position < limit && !endsCell(buffer[position])) {
                    position++;
                }
                appendRun(cell, start, position);
                if (position < limit) {
                    break;
                }
            }
            return false;
        }
        position++;
        long openedOn = line;
        while (true) {
            int c = read();
            if (c < 0) {
                throw new UnreadableTextException("CSV file " + source + ": the quoted cell that starts on line " + openedOn
                        + " is never closed");
            }
            if (c == '"') {
                if (peek() != '"') {
                    break;
                }
                position++;
            } else if (c == '\n' || c == '\r' && peek() != '\n') {
                line++;
            }
            append(cell, (char) c);
        }
        int after = peek();
        if (after >= 0 && after != delimiter && after != '\n' && after != '\r') {
            throw new UnreadableTextException("CSV file " + source + ", line " + line
                    + ": text after the closing quote of a cell; a quote inside a quoted cell is written \"\"");
        }
        return true;
    }

    private boolean endsCell(char c) {
        return c == delimiter || c == '\n' || c == '\r';
    }

    private void appendRun(StringBuilder cell, int from, int to) throws UnreadableTextException {
        recordChars += to - from;
        if (recordChars > maxRecordChars) {
            throw tooLong();
        }
        cell.append(buffer, from, to - from);
    }

    private void append(StringBuilder cell, char c) throws UnreadableTextException {
        if (++recordChars > maxRecordChars) {
            throw tooLong();
        }
        cell.append(c);
    }

    private UnreadableTextException tooLong() {
        return new UnreadableTextException("CSV file " + source + ": the record on line " + recordLine + " is longer than "
                + String.format(java.util.Locale.ROOT, "%,d", maxRecordChars) + " characters, the most a record may have"
                + (line > recordLine ? " (a quote opened there may never be closed)" : " (is this a CSV file?)"));
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position];
    }

    private int read() throws IOException {
        int c = peek();
        if (c >= 0) {
            position++;
        }
        return c;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    private static String bounded(String text) {
        return dev.handoff.internal.LogText.safe(text);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
