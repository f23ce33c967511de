package dev.handoff.onnx;

import dev.handoff.Batch;
import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.OutputField;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.ValueType;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.RuntimeContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxScorerTest {

    private static Map<String, Object> churnRecord() {
        return RuntimeContract.churnRecord(14);
    }

    @Test
    void perColumnModelListsOneInputPerColumnWithItsType() {
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes())) {
            assertEquals(CorpusModel.CHURN_LOGREG_ONNX.inputColumns(), scorer.inputs().stream().map(InputField::name).toList());
            InputField tenure = scorer.inputs().get(0);
            assertEquals(ValueType.FLOAT, tenure.type());
            assertTrue(tenure.isScalar());
            assertEquals(MissingValueTreatment.MODEL_HANDLES, tenure.missingValues(), "a float input takes NaN as missing");
            assertTrue(tenure.acceptsMissing());
            InputField plan = scorer.inputs().get(5);
            assertEquals(ValueType.STRING, plan.type());
            assertEquals(MissingValueTreatment.NOT_ACCEPTED, plan.missingValues(), "a string tensor has no missing marker");
            assertFalse(plan.acceptsMissing());
        }
    }

    @Test
    void infoCarriesFormatTaskProducerAndTheSha256OfTheBytes() throws Exception {
        byte[] bytes = CorpusModel.IRIS_ONNX.modelBytes();
        try (Scorer scorer = Scorer.load(bytes)) {
            assertEquals(ModelFormat.ONNX, scorer.info().format());
            assertEquals(ModelTask.CLASSIFICATION, scorer.info().task());
            assertEquals("skl2onnx 1.14.0", scorer.info().producer());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), scorer.info().sha256());
            assertEquals("8", scorer.info().metadata().get("onnx.ir_version"));
            assertEquals("<bytes>", scorer.info().source());
        }
    }

    @Test
    void int64AndStringClassLabelsBecomeCanonicalStrings() {
        try (Scorer churn = Scorer.load(CorpusModel.CHURN_PIPELINE_ONNX.modelBytes());
             Scorer iris = Scorer.load(CorpusModel.IRIS_NOZIPMAP_ONNX.modelBytes(),
                     ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(CorpusModel.IRIS_NOZIPMAP_ONNX.inputColumns()).build()).build())) {
            assertEquals(List.of("0", "1"), churn.classes());
            assertEquals(List.of("setosa", "versicolor", "virginica"), iris.classes());
            Prediction p = churn.score(churnRecord());
            assertTrue(p.label().equals("0") || p.label().equals("1"));
            assertEquals(1.0, p.probability("0") + p.probability("1"), 1e-6);
            assertEquals(List.of("0", "1"), List.copyOf(p.probabilities().keySet()));
        }
    }

    @Test
    void zipMapOutputIsReadableAsAPlainMapInClassOrder() {
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes())) {
            assertEquals(List.of("output_label", "output_probability"), scorer.outputs().stream().map(OutputField::name).toList());
            assertEquals(ValueType.MAP, scorer.outputs().get(1).type());
            Prediction p = scorer.score(churnRecord());
            Map<?, ?> map = assertInstanceOf(Map.class, p.output("output_probability"));
            assertEquals(p.probabilities(), map);
            assertEquals(p.label(), p.output("output_label"), "an int64 label output reads as the canonical class label");
            assertInstanceOf(String.class, p.output("output_label"));
        }
    }

    @Test
    void regressionGivesAValueAndNoLabel() {
        CorpusModel model = CorpusModel.DIABETES_ONNX;
        try (Scorer scorer = Scorer.load(model.modelBytes(), ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(model.inputColumns()).build()).build())) {
            assertEquals(ModelTask.REGRESSION, scorer.info().task());
            assertEquals(List.of(), scorer.classes());
            Prediction p = scorer.score(model.inputRecords().get(0));
            assertEquals(Double.parseDouble(model.expectedRows().get(0).get(0)), p.value(), model.tolerance());
            assertEquals(p.value(), (Double) p.output("variable"), 0.0);
            assertTrue(p.hasValue());
            assertFalse(p.hasLabel());
            assertFalse(p.hasProbabilities());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, p::label);
            assertTrue(e.getMessage().contains("REGRESSION"), e.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> p.probability("1"));
        }
    }

    @Test
    void probabilityTensorWithoutClassesIsReadableOnlyAsANamedOutput() {
        CorpusModel model = CorpusModel.DIGITS_ONNX;
        try (Scorer scorer = Scorer.load(model.modelBytes(), ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(model.inputColumns()).build()).build())) {
            assertEquals(ModelTask.OTHER, scorer.info().task());
            Prediction p = scorer.score(model.inputRecords().get(0));
            double[] probabilities = assertInstanceOf(double[].class, p.output("probabilities"));
            assertEquals(10, probabilities.length);
            assertEquals(Double.parseDouble(model.expectedRows().get(0).get(7)), probabilities[6], model.tolerance());
            assertFalse(p.hasLabel());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, p::label);
            assertTrue(e.getMessage().contains("ScorerOptions.classes"), e.getMessage());
        }
    }

    @Test
    void classesGivenInOptionsMakeAProbabilityTensorAClassifierWithArgmaxLabels() {
        CorpusModel model = CorpusModel.DIGITS_ONNX;
        ScorerOptions options = ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(model.inputColumns()).build()).classes(model.classes()).build();
        try (Scorer scorer = Scorer.load(model.modelBytes(), options)) {
            assertEquals(ModelTask.CLASSIFICATION, scorer.info().task());
            assertEquals(model.expectedRows().get(0).get(0), scorer.score(model.inputRecords().get(0)).label());
        }
    }

    @Test
    void classCountThatMatchesNoOutputFailsAtLoad() {
        CorpusModel model = CorpusModel.DIGITS_ONNX;
        ScorerOptions options = ScorerOptions.builder().classes(List.of("a", "b", "c")).build();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(model.modelBytes(), options));
        assertTrue(e.getMessage().contains("3 classes"), e.getMessage());
    }

    @Test
    void classesThatContradictTheGraphFailAtLoad() {
        ScorerOptions options = ScorerOptions.builder().classes(List.of("no", "yes")).build();
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes(), options));
        assertTrue(e.getMessage().contains("[no, yes]") && e.getMessage().contains("[0, 1]"), e.getMessage());
    }

    @Test
    void singleTensorModelWithoutFeatureNamesTakesAnArrayPerRow() {
        CorpusModel model = CorpusModel.IRIS_NOZIPMAP_ONNX;
        try (Scorer byArray = Scorer.load(model.modelBytes());
             Scorer byName = Scorer.load(model.modelBytes(), ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(model.inputColumns()).build()).build())) {
            InputField input = byArray.inputs().get(0);
            assertEquals("input", input.name());
            assertEquals(List.of(4L), input.shape());
            Prediction fromArray = byArray.score(Map.of("input", new double[] {6.3, 3.3, 6.0, 2.5}));
            Prediction fromList = byArray.score(Map.of("input", List.of(6.3, 3.3, 6.0, 2.5)));
            Prediction fromNames = byName.score(Map.of("sepal length (cm)", 6.3, "sepal width (cm)", 3.3,
                    "petal length (cm)", 6.0, "petal width (cm)", 2.5));
            assertEquals("virginica", fromArray.label());
            assertEquals(fromNames.probabilities(), fromArray.probabilities());
            assertEquals(fromNames.probabilities(), fromList.probabilities());

            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> byArray.score(Map.of("input", new double[] {1, 2, 3})));
            assertEquals("input", e.field());
            assertTrue(e.getMessage().contains("3 values") && e.getMessage().contains("expected 4"), e.getMessage());
        }
    }

    @Test
    void featureNamesOfTheWrongCountFailAtLoad() {
        ScorerOptions options = ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(List.of("a", "b")).build()).build();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(CorpusModel.IRIS_ONNX.modelBytes(), options));
        assertEquals(ModelFormat.ONNX, e.format());
        assertTrue(e.getMessage().contains("2 featureNames") && e.getMessage().contains("4 values per row"), e.getMessage());
    }

    @Test
    void missingStringIsRejectedNamingTheFieldBecauseAStringTensorCannotCarryIt() {
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes())) {
            Map<String, Object> absent = churnRecord();
            absent.remove("plan");
            Map<String, Object> nullValue = churnRecord();
            nullValue.put("plan", null);
            Map<String, Object> empty = churnRecord();
            empty.put("plan", "");
            for (Map<String, Object> record : List.of(absent, nullValue, empty)) {
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(record));
                assertEquals("plan", e.field());
                assertEquals(-1, e.row());
                assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("does not accept"), e.getMessage());
            }
        }
    }

    @Test
    void unseenCategoryGoesToTheGraphWhichEncodesItAsAllZeros() {
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes())) {
            Map<String, Object> unseen = churnRecord();
            unseen.put("plan", "platinum");
            Map<String, Object> otherUnseen = churnRecord();
            otherUnseen.put("plan", "diamond");
            Prediction p = scorer.score(unseen);
            assertEquals(1.0, p.probability("0") + p.probability("1"), 1e-6);
            assertNotEquals(scorer.score(churnRecord()).probability("1"), p.probability("1"), 0.0);
            assertEquals(p.probabilities(), scorer.score(otherUnseen).probabilities(), "every unseen plan is the same all-zero row");
        }
    }

    @Test
    void missingNumberIsImputedByTheGraph() {
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes())) {
            Map<String, Object> record = churnRecord();
            record.put("age", null);
            Map<String, Object> nan = churnRecord();
            nan.put("age", Double.NaN);
            Map<String, Object> empty = churnRecord();
            empty.put("age", "");
            Prediction p = scorer.score(record);
            assertFalse(Double.isNaN(p.probability("1")));
            assertEquals(p.probabilities(), scorer.score(nan).probabilities());
            assertEquals(p.probabilities(), scorer.score(empty).probabilities());
        }
    }

    @Test
    void nonNumericStringForANumberNamesFieldValueAndExpectation() {
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes())) {
            Map<String, Object> record = churnRecord();
            record.put("tenure_months", "fourteen");
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(record));
            assertEquals("tenure_months", e.field());
            assertEquals("fourteen", e.value());
            assertTrue(e.getMessage().contains("'fourteen'") && e.getMessage().contains("not a number"), e.getMessage());
            // the scorer stays healthy
            assertTrue(scorer.score(churnRecord()).probability("1") > 0);
        }
    }

    @Test
    void valueOfTheWrongTypeIsAnInvalidInput() {
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes())) {
            Map<String, Object> date = churnRecord();
            date.put("age", java.time.LocalDate.of(1970, 1, 1));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(date));
            assertEquals("age", e.field());
            assertTrue(e.getMessage().contains("wrong type") && e.getMessage().contains("LocalDate"), e.getMessage());
            Map<String, Object> number = churnRecord();
            number.put("plan", 2.5);
            assertEquals("plan", assertThrows(InvalidInputException.class, () -> scorer.score(number)).field());
        }
    }

    @Test
    void booleanForAFloatInputReadsAsOneOrZero() {
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes())) {
            Map<String, Object> one = churnRecord();
            one.put("support_calls", 1.0);
            Map<String, Object> zero = churnRecord();
            zero.put("support_calls", 0.0);
            Map<String, Double> whenOne = scorer.score(one).probabilities();
            Map<String, Double> whenZero = scorer.score(zero).probabilities();
            assertNotEquals(whenOne, whenZero, "the input matters, so the comparison below can fail");
            for (Object truthy : List.of(Boolean.TRUE, "true", "TRUE", " True ")) {
                Map<String, Object> record = churnRecord();
                record.put("support_calls", truthy);
                assertEquals(whenOne, scorer.score(record).probabilities(), "support_calls = " + truthy);
            }
            for (Object falsy : List.of(Boolean.FALSE, "false", "False")) {
                Map<String, Object> record = churnRecord();
                record.put("support_calls", falsy);
                assertEquals(whenZero, scorer.score(record).probabilities(), "support_calls = " + falsy);
            }
            Predictions columnar = scorer.score(churnBatch(2).booleans("support_calls", new boolean[] {true, false}).build());
            assertEquals(whenOne, columnar.get(0).probabilities());
            assertEquals(whenZero, columnar.get(1).probabilities());
        }
    }

    /** {@code n} copies of {@link #churnRecord()} as columns, without {@code support_calls}. */
    private static Batch.Builder churnBatch(int n) {
        Map<String, Object> record = churnRecord();
        Batch.Builder batch = Batch.builder(n);
        for (String name : List.of("tenure_months", "monthly_charges", "total_charges", "age")) {
            double[] column = new double[n];
            Arrays.fill(column, Double.parseDouble(String.valueOf(record.get(name))));
            batch.doubles(name, column);
        }
        for (String name : List.of("plan", "region", "payment_method")) {
            String[] column = new String[n];
            Arrays.fill(column, (String) record.get(name));
            batch.strings(name, column);
        }
        return batch;
    }

    @Test
    void unknownExtraFieldsAreIgnored() {
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes())) {
            Map<String, Object> record = churnRecord();
            record.put("customer_id", "C-1234");
            record.put("notes", List.of("anything"));
            assertEquals(scorer.score(churnRecord()).probabilities(), scorer.score(record).probabilities());
        }
    }

    @Test
    void strictKeysRejectAKeyTheModelDoesNotRead() {
        ScorerOptions strict = ScorerOptions.builder().strictKeys(true).build();
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes(), strict)) {
            Map<String, Object> record = churnRecord();
            record.put("customer_id", "C-1234");
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(record));
            assertTrue(e.getMessage().contains("'customer_id'") && e.getMessage().contains("strict keys"), e.getMessage());
            assertEquals(1.0, scorer.score(churnRecord()).probabilities().values().stream().mapToDouble(d -> d).sum(), 1e-6);
        }
    }

    @Test
    void keyThatNearlyMatchesAnAbsentInputIsRejectedWithDidYouMean() {
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes())) {
            Map<String, Object> record = churnRecord();
            record.put("Monthly-Charges", record.remove("monthly_charges"));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(record));
            assertTrue(e.getMessage().contains("'Monthly-Charges' (did you mean 'monthly_charges'?)"), e.getMessage());
        }
    }

    @Test
    void columnarBatchGivesTheSamePredictionsAsRecords() {
        CorpusModel model = CorpusModel.CHURN_LOGREG_ONNX;
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            List<Map<String, Object>> records = model.inputRecords();
            int n = records.size();
            Batch.Builder batch = Batch.builder(n);
            for (InputField field : scorer.inputs()) {
                if (field.type() == ValueType.STRING) {
                    batch.strings(field.name(), records.stream().map(r -> (String) r.get(field.name())).toArray(String[]::new));
                } else {
                    batch.doubles(field.name(), records.stream()
                            .mapToDouble(r -> r.containsKey(field.name()) ? Double.parseDouble((String) r.get(field.name())) : Double.NaN)
                            .toArray());
                }
            }
            Predictions columnar = scorer.score(batch.build());
            Predictions rows = scorer.scoreAll(records);
            assertArrayEquals(rows.labels(), columnar.labels());
            assertArrayEquals(rows.probabilities("1"), columnar.probabilities("1"));
        }
    }

    @Test
    void corruptGraphBytesFailAtLoad() {
        byte[] bytes = CorpusModel.CHURN_LOGREG_ONNX.modelBytes();
        for (int i = bytes.length / 3; i < bytes.length; i += 7) {
            bytes[i] = (byte) 0xFF;
        }
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes));
        assertEquals(ModelFormat.ONNX, e.format());
    }

    @Test
    void closedScorerRefusesCallsAndClosingTwiceIsHarmless() {
        Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes());
        scorer.close();
        scorer.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> scorer.score(churnRecord()));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void predictionsStayReadableAfterTheScorerIsClosed() {
        Prediction p;
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_ONNX.modelBytes())) {
            p = scorer.score(churnRecord());
        }
        assertEquals(1.0, p.probability("0") + p.probability("1"), 1e-6);
        assertInstanceOf(Map.class, p.output("output_probability"));
    }
}
