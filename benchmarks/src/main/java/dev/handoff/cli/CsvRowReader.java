package dev.handoff.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a CSV file one record at a time, whatever its size: a file name or {@code -} for standard
 * input, gzip-compressed when the name ends in {@code .gz} or the content starts with gzip's magic
 * bytes, decoded strictly in the given charset. The header is read and checked when it is opened.
 *
 * <pre>{@code
 * try (CsvRowReader rows = CsvRowReader.open("rows.csv.gz", System.in, UTF_8, ',')) {
 *     List<String> header = rows.header();
 *     for (CsvRowReader.Row row; (row = rows.next()) != null; ) { ... row.cells() ... row.line() ... }
 * }
 * }</pre>
 */
final class CsvRowReader implements Closeable {
    static final String STANDARD_INPUT = "-";
    private static final int BUFFER_BYTES = 1 << 16;
    private static final org.apache.commons.csv.CSVFormat FORMAT =
            org.apache.commons.csv.CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    /** One record: its cells as written, and the line of the file it ends on (the header is line 1). */
    record Row(List<String> cells, long line) {
    }

    private final String source;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;

    /** Reads CSV text from {@code reader}; {@code source} names it in messages. */
    static CsvRowReader of(Reader reader, String source, char delimiter) throws IOException {
        return new CsvRowReader(source, reader, delimiter);
    }

    private CsvRowReader(String source, Reader reader, char delimiter) throws IOException {
        this.source = source;
        this.parser = FORMAT.builder().setDelimiter(delimiter).get().parse(reader);
        this.records = parser.iterator();
        Row first = next();
        if (first == null) {
            throw new IllegalArgumentException("CSV file " + source + " is empty: it needs a header line naming the columns");
        }
        this.header = checkedHeader(first.cells(), source);
    }

    /** The header with a spreadsheet's byte order mark removed; a blank or repeated column name is an error. */
    static List<String> checkedHeader(List<String> cells, String source) {
        List<String> header = new java.util.ArrayList<>(cells);
        if (header.get(0).startsWith(BYTE_ORDER_MARK)) {
            header.set(0, header.get(0).substring(1)); // spreadsheet exports start with a byte order mark
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            if (name.isBlank()) {
                throw new IllegalArgumentException("CSV file " + source + ": header column " + (c + 1) + " has no name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("CSV file " + source + ": column '" + name + "' appears twice in the header");
            }
        }
        return header;
    }

    /**
     * Opens {@code name} (a file, or {@link #STANDARD_INPUT} for {@code stdin}); the stream is closed with the reader.
     *
     * @throws UncheckedIOException naming the file when it does not exist or cannot be read
     */
    static CsvRowReader open(String name, InputStream stdin, Charset charset, char delimiter) throws IOException {
        boolean standardInput = STANDARD_INPUT.equals(name);
        String source = standardInput ? "<standard input>" : name;
        InputStream raw;
        try {
            raw = standardInput ? stdin : Files.newInputStream(Path.of(name));
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("CSV file " + name + " does not exist", e);
        }
        try {
            InputStream bytes = gunzipped(new BufferedInputStream(raw, BUFFER_BYTES), name, source);
            return new CsvRowReader(source, new DecodingReader(bytes, charset, source), delimiter);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static InputStream gunzipped(BufferedInputStream in, String name, String source) throws IOException {
        in.mark(2);
        boolean magic = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        if (!magic && !name.endsWith(".gz")) {
            return in;
        }
        try {
            return new BufferedInputStream(new GZIPInputStream(in, BUFFER_BYTES), BUFFER_BYTES);
        } catch (IOException e) {
            throw new UnreadableInputException(source + " is named .gz but is not gzip-compressed: " + e.getMessage(), e);
        }
    }

    /** The column names, in file order. */
    List<String> header() {
        return header;
    }

    /** Where the rows come from, for messages: the file name or {@code <standard input>}. */
    String source() {
        return source;
    }

    /**
     * The next record, or {@code null} after the last one.
     *
     * @throws UnreadableInputException naming the line when the file cannot be decoded or parsed on
     */
    Row next() throws IOException {
        try {
            if (!records.hasNext()) {
                return null;
            }
            CSVRecord record = records.next();
            return new Row(record.toList(), parser.getCurrentLineNumber());
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof UnreadableInputException unreadable) {
                throw unreadable;
            }
            throw new UnreadableInputException("cannot read " + source + " after line " + parser.getCurrentLineNumber() + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        } catch (IllegalStateException e) {
            // commons-csv reports broken quoting this way
            throw new UnreadableInputException("CSV file " + source + " is malformed after line " + parser.getCurrentLineNumber()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
