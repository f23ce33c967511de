package dev.handoff.cli;

import dev.handoff.internal.csv.CsvReader;
import dev.handoff.internal.csv.DecodingReader;
import dev.handoff.internal.csv.UnreadableTextException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
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
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The command line's CSV input: a file name or {@code -} for standard input, gzip-compressed when the
 * name ends in {@code .gz} or the content starts with gzip's magic bytes, decoded strictly in the given
 * charset and read one record at a time through the library's bounded {@link CsvReader}, whatever the
 * size of the file. The header is read and checked when it is opened.
 *
 * <pre>{@code
 * try (CsvRowReader rows = CsvRowReader.open("rows.csv.gz", System.in, UTF_8, ',')) {
 *     List<String> header = rows.header();
 *     for (CsvReader.Row row; (row = rows.next()) != null; ) { ... row.cells() ... row.line() ... }
 * }
 * }</pre>
 */
final class CsvRowReader implements Closeable {
    static final String STANDARD_INPUT = "-";
    private static final int BUFFER_BYTES = 1 << 16;
    private static final String ENCODING_HINT = "give it with --encoding (for example --encoding ISO-8859-1)";

    private final CsvReader csv;
    private final List<String> header;
    /** The line of the last record read; 0 before the header. */
    private long lastLine;

    private CsvRowReader(CsvReader csv) throws IOException {
        this.csv = csv;
        try {
            this.header = csv.header();
            lastLine = 1;
        } catch (IOException e) {
            throw named(e);
        }
    }

    /** Reads CSV text from {@code reader}; {@code source} names it in messages. */
    static CsvRowReader of(Reader reader, String source, char delimiter) throws IOException {
        return new CsvRowReader(new CsvReader(reader, source, delimiter, CsvReader.DEFAULT_MAX_RECORD_CHARS));
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
            return of(new DecodingReader(bytes, charset, source, ENCODING_HINT), source, delimiter);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static InputStream gunzipped(BufferedInputStream in, String name, String source) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        boolean magic = first == 0x1f && second == 0x8b;
        in.reset();
        if (!magic && !name.endsWith(".gz")) {
            return in;
        }
        try {
            return new BufferedInputStream(new GZIPInputStream(in, BUFFER_BYTES), BUFFER_BYTES);
        } catch (EOFException cut) {
            throw new UnreadableTextException(source + " is not a complete gzip stream: it ends inside the gzip header"
                    + (magic ? " (the file may have been cut short)" : ""));
        } catch (ZipException notGzip) {
            throw new UnreadableTextException(source + " is named .gz but is not gzip-compressed (" + notGzip.getMessage() + ")");
        }
    }

    /** The column names, in file order. */
    List<String> header() {
        return header;
    }

    /** Where the rows come from, for messages: the file name or {@code <standard input>}. */
    String source() {
        return csv.source();
    }

    /**
     * The next record, or {@code null} after the last one.
     *
     * @throws UnreadableTextException naming the line when the file cannot be decoded, parsed or read on
     */
    CsvReader.Row next() throws IOException {
        try {
            CsvReader.Row row = csv.next();
            if (row != null) {
                lastLine = row.line();
            }
            return row;
        } catch (IOException e) {
            throw named(e);
        }
    }

    /**
     * The rows not read yet, read as the stream is pulled (one row ahead at most): what {@code score} and
     * {@code diff} hand to the library. A read failure comes out as an {@link UncheckedIOException} around the
     * named {@link IOException} that {@link #next()} would throw.
     */
    Stream<CsvReader.Row> stream() {
        Iterator<CsvReader.Row> rows = new Iterator<>() {
            private CsvReader.Row next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = CsvRowReader.this.next();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next != null;
            }

            @Override
            public CsvReader.Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                CsvReader.Row row = next;
                next = null;
                return row;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    private String where() {
        return lastLine == 0 ? "in its header line" : "after line " + lastLine;
    }

    /** A read failure that names the file and the last line read (the reader's own failures name them already). */
    private IOException named(IOException e) {
        if (e instanceof UnreadableTextException) {
            return e;
        }
        if (e instanceof EOFException) {
            return new UnreadableTextException(source() + " ends unexpectedly " + where() + " (a gzip file cut short?): "
                    + e.getMessage());
        }
        return new UnreadableTextException("cannot read " + source() + " " + where() + ": " + e.getMessage());
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
