package dev.handoff.benchmarks;

import dev.handoff.InputField;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.ModelFormat;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.ValueType;
import dev.handoff.testing.CorpusModel;
import dev.handoff.onnx.OnnxOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same model exported to ONNX and to PMML looks the same through Handoff: the same input names,
 * the same classes, the same task, numeric inputs that both take a missing value, and predictions of
 * the same shape that agree within the ONNX file's tolerance, on rows with empty cells too.
 */
class CrossFormatConsistencyTest {

    /**
     * {@code onnxNumbers} and {@code pmmlNumbers} are the missing-value treatments of every numeric input in each
     * format: the same where the trees route a missing value themselves; for the churn models the ONNX graph
     * imputes a NaN with its {@code Imputer} while the PMML declares the median as {@code missingValueReplacement}.
     * {@code rowsWithMissing} is the number of rows of {@code input.csv} with an empty cell (the corpus README).
     */
    @ParameterizedTest
    @CsvSource({
            "BREAST_CANCER_ONNX, BREAST_CANCER_PMML, MODEL_HANDLES, MODEL_HANDLES, 0",
            "BREAST_CANCER_NOZIPMAP_ONNX, BREAST_CANCER_PMML, MODEL_HANDLES, MODEL_HANDLES, 0",
            "IRIS_ONNX, IRIS_PMML, MODEL_HANDLES, MODEL_HANDLES, 0",
            "IRIS_NOZIPMAP_ONNX, IRIS_PMML, MODEL_HANDLES, MODEL_HANDLES, 0",
            "DIABETES_ONNX, DIABETES_PMML, MODEL_HANDLES, MODEL_HANDLES, 0",
            "CHURN_PIPELINE_ONNX, CHURN_PIPELINE_PMML, MODEL_HANDLES, MODEL_REPLACES, 20",
            "CHURN_PIPELINE_NOZIPMAP_ONNX, CHURN_PIPELINE_PMML, MODEL_HANDLES, MODEL_REPLACES, 20",
            "CHURN_LOGREG_ONNX, CHURN_LOGREG_PMML, MODEL_HANDLES, MODEL_REPLACES, 20",
            "CHURN_LOGREG_NOZIPMAP_ONNX, CHURN_LOGREG_PMML, MODEL_HANDLES, MODEL_REPLACES, 20",
            "XGBOOST_MISSING_ONNX, XGBOOST_MISSING_PMML, MODEL_HANDLES, MODEL_HANDLES, 122",
            "HGB_MISSING_ONNX, HGB_MISSING_PMML, MODEL_HANDLES, MODEL_HANDLES, 133",
            "HGB_MISSING_NOZIPMAP_ONNX, HGB_MISSING_PMML, MODEL_HANDLES, MODEL_HANDLES, 133",
    })
    void onnxAndPmmlExportsOfOneModelHaveTheSameInputsClassesAndPredictions(CorpusModel onnx, CorpusModel pmml,
            MissingValueTreatment onnxNumbers, MissingValueTreatment pmmlNumbers, int rowsWithMissing) {
        ScorerOptions onnxOptions = onnx.isSingleTensor()
                ? ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(onnx.inputColumns()).build()).build()
                : ScorerOptions.defaults();
        try (Scorer o = Scorer.load(onnx.modelBytes(), onnxOptions); Scorer p = Scorer.load(pmml.modelBytes())) {
            assertEquals(ModelFormat.ONNX, o.info().format());
            assertEquals(ModelFormat.PMML, p.info().format());
            assertEquals(names(o.inputs()), names(p.inputs()), "input names");
            assertEquals(o.classes(), p.classes(), "classes");
            assertEquals(o.info().task(), p.info().task(), "task");
            assertMissingValueTreatments(o.inputs(), onnxNumbers, p.inputs(), pmmlNumbers);

            List<Map<String, Object>> records = onnx.inputRecords();
            Predictions fromOnnx = o.scoreAll(records);
            Predictions fromPmml = p.scoreAll(records);
            assertEquals(List.of(), fromOnnx.failures(), "ONNX rows not scored");
            assertEquals(List.of(), fromPmml.failures(), "PMML rows not scored");
            int comparedWithMissing = 0;
            int fragileWithMissing = 0;
            for (int r = 0; r < records.size(); r++) {
                boolean withMissing = records.get(r).size() < onnx.inputColumns().size();
                if (onnx.isFloat32Fragile(r)) {
                    fragileWithMissing += withMissing ? 1 : 0;
                    continue; // documented: the float32 graph may take the other branch at a split threshold
                }
                assertSamePrediction(fromOnnx.get(r), fromPmml.get(r), o.classes(), onnx.tolerance(), "row " + r + " " + records.get(r));
                comparedWithMissing += withMissing ? 1 : 0;
            }
            assertEquals(rowsWithMissing, comparedWithMissing + fragileWithMissing, "rows with an empty cell");
            assertTrue(rowsWithMissing == 0 || comparedWithMissing > 0, "rows with an empty cell are compared");
        }
    }

    /**
     * Every numeric input has the given treatment in its format, and both formats take a missing value for it.
     * A string input can not be missing in an ONNX string tensor; the churn PMML's one-hot encoding takes one.
     */
    private static void assertMissingValueTreatments(List<InputField> onnxInputs, MissingValueTreatment onnxNumbers,
                                                     List<InputField> pmmlInputs, MissingValueTreatment pmmlNumbers) {
        Map<String, InputField> onnx = byName(onnxInputs);
        for (InputField inPmml : pmmlInputs) {
            InputField inOnnx = onnx.get(inPmml.name());
            if (inPmml.type() == ValueType.STRING) {
                assertEquals(MissingValueTreatment.NOT_ACCEPTED, inOnnx.missingValues(), "ONNX " + inOnnx.name());
                assertEquals(MissingValueTreatment.MODEL_HANDLES, inPmml.missingValues(), "PMML " + inPmml.name());
            } else {
                assertEquals(onnxNumbers, inOnnx.missingValues(), "ONNX " + inOnnx.name());
                assertEquals(pmmlNumbers, inPmml.missingValues(), "PMML " + inPmml.name());
                assertTrue(inOnnx.acceptsMissing() && inPmml.acceptsMissing(), inPmml.name() + " takes a missing value in both formats");
            }
        }
    }

    private static void assertSamePrediction(Prediction fromOnnx, Prediction fromPmml, List<String> classes, double tolerance, String row) {
        if (classes.isEmpty()) {
            assertEquals(fromPmml.value(), fromOnnx.value(), tolerance, row);
            return;
        }
        assertEquals(fromPmml.label(), fromOnnx.label(), row);
        assertEquals(fromPmml.probabilities().keySet(), fromOnnx.probabilities().keySet(), row);
        for (String label : classes) {
            assertEquals(fromPmml.probability(label), fromOnnx.probability(label), tolerance, row + " class " + label);
        }
    }

    private static Map<String, InputField> byName(List<InputField> fields) {
        Map<String, InputField> byName = new LinkedHashMap<>();
        fields.forEach(f -> byName.put(f.name(), f));
        return byName;
    }

    private static List<String> names(List<InputField> fields) {
        return fields.stream().map(InputField::name).toList();
    }
}
