package dev.handoff.benchmarks;

import dev.handoff.cli.CsvTable;
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
 * The model files and input rows the benchmarks measure, read from {@code benchmark-models/} on the
 * class path (copies of corpus cases; see the README there).
 */
final class BenchmarkModels {
    static final String IRIS = "sklearn_rf_iris";
    static final String BREAST_CANCER = "sklearn_logreg_breast_cancer";

    private static final long SHUFFLE_SEED = 20240601L;

    private BenchmarkModels() {
    }

    static byte[] bytes(String caseName, String file) {
        String path = "benchmark-models/" + caseName + "/" + file;
        try (InputStream in = BenchmarkModels.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("benchmark resource " + path + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark resource " + path, e);
        }
    }

    /** The header of the case's {@code input.csv}: its feature names, in tensor-column order. */
    static List<String> featureNames(String caseName) {
        return input(caseName).header();
    }

    /**
     * The case's input rows as records of {@code Double}s, as a service would hold them, in a fixed
     * shuffled order: the corpus files are sorted (iris by class), and a benchmark cycling through
     * sorted rows would be flattered by branch prediction.
     */
    static List<Map<String, Object>> shuffledRecords(String caseName) {
        CsvTable table = input(caseName);
        List<Map<String, Object>> records = new ArrayList<>();
        for (List<String> row : table.rows()) {
            Map<String, Object> record = new HashMap<>();
            for (int c = 0; c < row.size(); c++) {
                if (!row.get(c).isEmpty()) {
                    record.put(table.header().get(c), Double.valueOf(row.get(c)));
                }
            }
            records.add(Collections.unmodifiableMap(record));
        }
        Collections.shuffle(records, new Random(SHUFFLE_SEED));
        return List.copyOf(records);
    }

    private static CsvTable input(String caseName) {
        try (Reader reader = new InputStreamReader(new java.io.ByteArrayInputStream(bytes(caseName, "input.csv")), StandardCharsets.UTF_8)) {
            return CsvTable.parse(reader, "benchmark-models/" + caseName + "/input.csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
