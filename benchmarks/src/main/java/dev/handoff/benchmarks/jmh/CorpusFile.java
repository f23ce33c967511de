package dev.handoff.benchmarks.jmh;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One model file of the parity corpus and its input rows, as the benchmarks measure them. The build
 * copies the corpus ({@code api/src/testFixtures/resources/corpus}) into the jar under {@code benchmark-models/}.
 *
 * <pre>{@code
 * CorpusFile file = CorpusFile.of("sklearn_rf_iris/model.onnx");
 * List<Map<String, Object>> rows = file.records();       // shuffled, Doubles and Strings, empty cells absent
 * Object[] columns = file.columns(1024);                 // double[] (NaN = missing) or String[] per CSV column
 * }</pre>
 *
 * <p>Rows are shuffled with a fixed seed: the corpus files are sorted (iris by class), and cycling
 * through sorted rows would flatter tree models through branch prediction (JMH sample 36).
 */
public final class CorpusFile {
    /** Every ONNX file of the corpus, missing-value cases included: the values of {@link OnnxFile#model}. */
    public static final List<String> ONNX = params(OnnxFile.class);
    /** Every PMML file of the corpus, missing-value cases included: the values of {@link PmmlFile#model}. */
    public static final List<String> PMML = params(PmmlFile.class);

    private static final long SHUFFLE_SEED = 20240601L;

    private final String name;
    private final List<String> header;
    private final boolean[] numeric;
    private final List<String[]> rows;

    private CorpusFile(String name, List<String> header, boolean[] numeric, List<String[]> rows) {
        this.name = name;
        this.header = header;
        this.numeric = numeric;
        this.rows = rows;
    }

    /** The file {@code case/file}, for example {@code sklearn_rf_iris/model.onnx}. */
    public static CorpusFile of(String name) {
        String caseName = name.substring(0, name.indexOf('/'));
        List<String> header;
        List<String[]> rows = new ArrayList<>();
        try (Reader reader = new InputStreamReader(new java.io.ByteArrayInputStream(resource(caseName + "/input.csv")),
                StandardCharsets.UTF_8)) {
            List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
            header = records.isEmpty() ? List.of() : List.copyOf(records.get(0).getParser().getHeaderNames());
            for (CSVRecord record : records) {
                rows.add(record.values());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean[] numeric = new boolean[header.size()];
        for (int c = 0; c < numeric.length; c++) {
            numeric[c] = true;
            for (String[] row : rows) {
                if (!row[c].isEmpty() && !isNumber(row[c])) {
                    numeric[c] = false;
                    break;
                }
            }
        }
        Collections.shuffle(rows, new Random(SHUFFLE_SEED));
        return new CorpusFile(name, header, numeric, List.copyOf(rows));
    }

    /** This file with only the rows at the given positions of {@link #records()} (the rows a model gives a prediction for). */
    public CorpusFile onlyRows(List<Integer> positions) {
        List<String[]> kept = new ArrayList<>();
        for (int i : positions) {
            kept.add(rows.get(i));
        }
        return new CorpusFile(name, header, numeric, List.copyOf(kept));
    }

    private static List<String> params(Class<?> state) {
        try {
            return List.of(state.getField("model").getAnnotation(org.openjdk.jmh.annotations.Param.class).value());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public String name() {
        return name;
    }

    public boolean isOnnx() {
        return name.endsWith(".onnx");
    }

    public byte[] modelBytes() {
        return resource(name);
    }

    /** The CSV header: the input names (or, for a single-tensor ONNX model, its feature names in tensor order). */
    public List<String> header() {
        return header;
    }

    public boolean isNumeric(int column) {
        return numeric[column];
    }

    /** The class labels of the {@code probability(<class>)} columns of {@code expected.csv}; empty for a regression. */
    public List<String> expectedClasses() {
        String text = new String(resource(name.substring(0, name.indexOf('/')) + "/expected.csv"), StandardCharsets.UTF_8);
        List<String> classes = new ArrayList<>();
        for (String column : text.lines().findFirst().orElse("").split(",")) {
            if (column.startsWith("probability(") && column.endsWith(")")) {
                classes.add(column.substring("probability(".length(), column.length() - 1));
            }
        }
        return classes;
    }

    /** The rows as records, as a service holds them: numbers as {@code Double}, categories as {@code String}, empty cells absent. */
    public List<Map<String, Object>> records() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (String[] row : rows) {
            Map<String, Object> record = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                if (!row[c].isEmpty()) {
                    record.put(header.get(c), numeric[c] ? (Object) Double.valueOf(row[c]) : row[c]);
                }
            }
            records.add(Collections.unmodifiableMap(record));
        }
        return List.copyOf(records);
    }

    /**
     * {@code n} rows (cycling through the shuffled rows) by CSV column: {@code double[]} with NaN for
     * an empty cell, or {@code String[]} with null.
     */
    public Object[] columns(int n) {
        Object[] columns = new Object[header.size()];
        for (int c = 0; c < columns.length; c++) {
            if (numeric[c]) {
                double[] values = new double[n];
                for (int r = 0; r < n; r++) {
                    String cell = rows.get(r % rows.size())[c];
                    values[r] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
                }
                columns[c] = values;
            } else {
                String[] values = new String[n];
                for (int r = 0; r < n; r++) {
                    String cell = rows.get(r % rows.size())[c];
                    values[r] = cell.isEmpty() ? null : cell;
                }
                columns[c] = values;
            }
        }
        return columns;
    }

    private static byte[] resource(String path) {
        String full = "benchmark-models/" + path;
        try (InputStream in = CorpusFile.class.getClassLoader().getResourceAsStream(full)) {
            if (in == null) {
                throw new IllegalStateException("benchmark resource " + full + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark resource " + full, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
