package dev.handoff.cli;

import org.apache.commons.csv.CSVFormat;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV file with a header line, read whole: the {@code input.csv} and {@code expected.csv} of the
 * command line. A row shorter than the header has its last cells empty; a longer one is an error,
 * because no column would tell what its extra cells are.
 */
public final class CsvTable {
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private final String source;
    private final List<String> header;
    private final List<List<String>> rows;

    private CsvTable(String source, List<String> header, List<List<String>> rows) {
        this.source = source;
        this.header = List.copyOf(header);
        this.rows = List.copyOf(rows);
    }

    /** Reads a UTF-8 file; an unreadable or malformed file throws {@link UncheckedIOException} or {@link IllegalArgumentException} naming it (and the line, for bytes that are not UTF-8). */
    static CsvTable read(Path file) {
        try (Reader reader = new DecodingReader(Files.newInputStream(file), StandardCharsets.UTF_8, file.toString())) {
            return parse(reader, file.toString());
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("CSV file " + file + " does not exist", e);
        } catch (UnreadableInputException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CSV file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses CSV text; {@code source} names it in error messages. */
    public static CsvTable parse(Reader reader, String source) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CsvRowReader records = CsvRowReader.of(reader, source, FORMAT.getDelimiterString().charAt(0))) {
            for (CsvRowReader.Row row; (row = records.next()) != null; ) {
                if (row.cells().size() > records.header().size()) {
                    throw new IllegalArgumentException("CSV file " + source + ": line " + row.line() + " has "
                            + row.cells().size() + " cells, but the header has only " + records.header().size() + " columns");
                }
                rows.add(row.cells());
            }
            return new CsvTable(source, records.header(), rows);
        }
    }

    /** The header with a spreadsheet's byte order mark removed; a blank or repeated column name is an error. */
    static List<String> checkedHeader(List<String> cells, String source) {
        List<String> header = new ArrayList<>(cells);
        if (header.get(0).startsWith(BYTE_ORDER_MARK)) {
            header.set(0, header.get(0).substring(1)); // spreadsheet exports start with a byte order mark
        }
        Set<String> seen = new HashSet<>();
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

    /** The same table without the column {@code name}; the same table when it has none. */
    CsvTable withoutColumn(String name) {
        int column = header.indexOf(name);
        if (column < 0) {
            return this;
        }
        List<String> kept = new ArrayList<>(header);
        kept.remove(column);
        List<List<String>> keptRows = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>(row);
            if (column < cells.size()) {
                cells.remove(column);
            }
            keptRows.add(cells);
        }
        return new CsvTable(source, kept, keptRows);
    }

    /** The file name (or other source) the table was read from. */
    String source() {
        return source;
    }

    /** The column names, in file order. */
    public List<String> header() {
        return header;
    }

    /** The rows below the header, each as written (no cell for a missing trailing value). */
    public List<List<String>> rows() {
        return rows;
    }

    /** The cell of {@code row} in column {@code column}, empty when the row has none. */
    String cell(int row, int column) {
        List<String> cells = rows.get(row);
        return column < cells.size() ? cells.get(column) : "";
    }

    /** Whether every cell of {@code row} is empty. */
    boolean isEmptyRow(int row) {
        for (String cell : rows.get(row)) {
            if (!cell.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The rows as scoring records keyed by column name; an empty cell is left out, so it is missing. */
    List<Map<String, Object>> records() {
        List<Map<String, Object>> records = new ArrayList<>(rows.size());
        for (List<String> cells : rows) {
            Map<String, Object> record = new LinkedHashMap<>(header.size() * 2);
            for (int c = 0; c < cells.size(); c++) {
                if (!cells.get(c).isEmpty()) {
                    record.put(header.get(c), cells.get(c));
                }
            }
            records.add(record);
        }
        return records;
    }
}
