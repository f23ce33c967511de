package dev.handoff.testing;

import dev.handoff.Verification;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every model file of the parity corpus ({@code src/main/resources/corpus} of this module, copied from the shared
 * model corpus; its README says how each file was made), with the tolerance its {@code case.json}
 * suggests. Shared by the runtime modules' parity tests (test scope; this module is never deployed).
 */
public enum CorpusModel {
    BREAST_CANCER_ONNX("sklearn_logreg_breast_cancer", "model.onnx", 1e-5, true),
    BREAST_CANCER_NOZIPMAP_ONNX("sklearn_logreg_breast_cancer", "model_nozipmap.onnx", 1e-5, true),
    BREAST_CANCER_PMML("sklearn_logreg_breast_cancer", "model.pmml", 1e-9, false),
    IRIS_ONNX("sklearn_rf_iris", "model.onnx", 1e-5, true),
    IRIS_NOZIPMAP_ONNX("sklearn_rf_iris", "model_nozipmap.onnx", 1e-5, true),
    IRIS_PMML("sklearn_rf_iris", "model.pmml", 1e-9, false),
    DIABETES_ONNX("sklearn_gbr_diabetes", "model.onnx", 1e-3, true),
    DIABETES_PMML("sklearn_gbr_diabetes", "model.pmml", 1e-9, false),
    CHURN_PIPELINE_ONNX("sklearn_churn_pipeline", "model.onnx", 1e-5, false),
    CHURN_PIPELINE_NOZIPMAP_ONNX("sklearn_churn_pipeline", "model_nozipmap.onnx", 1e-5, false),
    CHURN_PIPELINE_PMML("sklearn_churn_pipeline", "model.pmml", 1e-9, false),
    CHURN_LOGREG_ONNX("sklearn_churn_logreg", "model.onnx", 1e-5, false),
    CHURN_LOGREG_NOZIPMAP_ONNX("sklearn_churn_logreg", "model_nozipmap.onnx", 1e-5, false),
    CHURN_LOGREG_PMML("sklearn_churn_logreg", "model.pmml", 1e-9, false),
    DIGITS_ONNX("torch_mlp_digits", "model.onnx", 1e-5, true),
    MTCARS_PMML("r_glm_mtcars", "model.pmml", 1e-9, false),
    XGBOOST_MISSING_ONNX("xgboost_diabetes_missing", "model.onnx", 1e-2, true),
    XGBOOST_MISSING_PMML("xgboost_diabetes_missing", "model.pmml", 1e-3, false),
    HGB_MISSING_ONNX("sklearn_hgb_missing", "model.onnx", 1e-5, true),
    HGB_MISSING_NOZIPMAP_ONNX("sklearn_hgb_missing", "model_nozipmap.onnx", 1e-5, true),
    HGB_MISSING_PMML("sklearn_hgb_missing", "model.pmml", 1e-9, false),
    RPART_AIRQUALITY_PMML("r_rpart_airquality", "model.pmml", 1e-9, false);

    /**
     * Rows of {@code sklearn_churn_pipeline} where a tree split sits within float32 rounding of the
     * value (case.json {@code float32_fragile_rows}): the float32 ONNX graph may take the other branch.
     */
    private static final Set<Integer> CHURN_PIPELINE_FLOAT32_FRAGILE_ROWS =
            Set.of(10, 23, 39, 43, 59, 62, 77, 79, 89, 121, 138, 145, 150, 177, 190, 191, 194);

    private final String caseName;
    private final String file;
    private final double tolerance;
    private final boolean singleTensor;

    CorpusModel(String caseName, String file, double tolerance, boolean singleTensor) {
        this.caseName = caseName;
        this.file = file;
        this.tolerance = tolerance;
        this.singleTensor = singleTensor;
    }

    public String caseName() {
        return caseName;
    }

    public String file() {
        return file;
    }

    public boolean isOnnx() {
        return file.endsWith(".onnx");
    }

    /** case.json {@code suggested_abs_tolerance} for this file. */
    public double tolerance() {
        return tolerance;
    }

    /** Whether this ONNX model takes one {@code [N, F]} tensor whose columns are {@link #inputColumns()}. */
    public boolean isSingleTensor() {
        return singleTensor;
    }

    /** Whether row {@code row} may differ from the framework beyond the tolerance, as case.json documents. */
    public boolean isFloat32Fragile(int row) {
        return isOnnx() && caseName.equals("sklearn_churn_pipeline") && CHURN_PIPELINE_FLOAT32_FRAGILE_ROWS.contains(row);
    }

    public byte[] modelBytes() {
        return resource(file);
    }

    /** Copies the model file into {@code dir} and returns its path. */
    public Path copyModelTo(Path dir) {
        return copy(file, dir);
    }

    /** Copies {@code input.csv} into {@code dir} and returns its path. */
    public Path copyInputTo(Path dir) {
        return copy("input.csv", dir);
    }

    /** Copies {@code expected.csv} into {@code dir} and returns its path. */
    public Path copyExpectedTo(Path dir) {
        return copy("expected.csv", dir);
    }

    /** The header of {@code input.csv}. */
    public List<String> inputColumns() {
        return csv("input.csv").get(0);
    }

    /** The rows of {@code input.csv} as records: numbers as strings, as a CSV reader gives them; empty cells absent. */
    public List<Map<String, Object>> inputRecords() {
        List<List<String>> rows = csv("input.csv");
        List<String> header = rows.get(0);
        List<Map<String, Object>> records = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                if (!row.get(c).isEmpty()) {
                    record.put(header.get(c), row.get(c));
                }
            }
            records.add(record);
        }
        return records;
    }

    /** The header of {@code expected.csv}: {@code label, probability(<class>)...} or {@code value}. */
    public List<String> expectedColumns() {
        return csv("expected.csv").get(0);
    }

    /** The rows of {@code expected.csv}, cells as written (empty = the framework gave no prediction). */
    public List<List<String>> expectedRows() {
        List<List<String>> rows = csv("expected.csv");
        return rows.subList(1, rows.size());
    }

    /**
     * The case's {@code input.csv} and {@code expected.csv} as golden cases ({@link Verification#fromCsv}), with the
     * absolute tolerance case.json suggests for this file and no relative tolerance. Case {@code i} is row {@code i}.
     */
    public Verification verification() {
        return Verification.fromCsv(new StringReader(text("input.csv")), new StringReader(text("expected.csv")), toString())
                .withTolerance(tolerance, 0);
    }

    /** The class labels of a classifier case, from the {@code probability(<class>)} columns of {@code expected.csv}. */
    public List<String> classes() {
        List<String> classes = new ArrayList<>();
        for (String column : expectedColumns()) {
            if (column.startsWith("probability(") && column.endsWith(")")) {
                classes.add(column.substring("probability(".length(), column.length() - 1));
            }
        }
        return classes;
    }

    @Override
    public String toString() {
        return caseName + "/" + file;
    }

    private String text(String name) {
        return new String(resource(name), StandardCharsets.UTF_8);
    }

    private List<List<String>> csv(String name) {
        String text = text(name);
        List<List<String>> rows = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (!line.isEmpty()) {
                rows.add(Arrays.asList(line.split(",", -1))); // the corpus never quotes: no value holds a comma
            }
        }
        return rows;
    }

    private byte[] resource(String name) {
        String path = "corpus/" + caseName + "/" + name;
        try (InputStream in = CorpusModel.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + path + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path copy(String name, Path dir) {
        try {
            Path target = dir.resolve(caseName + "-" + name);
            Files.write(target, resource(name));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
