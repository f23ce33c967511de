package dev.handoff;

import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.OutputColumns;
import dev.handoff.spi.ScoringEngine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelComparisonTest {

    /** A classifier for tests: the last class has probability sigmoid(scale * (x - 5)), the others share the rest. */
    private record Sigmoid(List<String> classes, double scale, double refused) implements ScoringEngine {
        @Override
        public ModelInfo info() {
            return new ModelInfo("<sigmoid " + scale + ">", ModelFormat.ONNX, ModelTask.CLASSIFICATION, "test", "", "cd" + scale, Map.of());
        }

        @Override
        public List<InputField> inputs() {
            return List.of(InputField.scalar("x", ValueType.DOUBLE, MissingValueTreatment.MODEL_HANDLES));
        }

        @Override
        public List<OutputField> outputs() {
            return List.of(new OutputField("p", ValueType.DOUBLE, List.of((long) classes.size())));
        }

        @Override
        public void score(InputColumns columns, OutputColumns out) {
            double[] x = columns.doubles(0);
            int k = classes.size();
            double[] p = new double[x.length * k];
            for (int r = 0; r < x.length; r++) {
                double last = 1 / (1 + Math.exp(-scale * (x[r] - 5)));
                for (int c = 0; c < k - 1; c++) {
                    p[r * k + c] = (1 - last) / (k - 1);
                }
                p[r * k + k - 1] = last;
                if (x[r] == refused) {
                    out.reject(new InvalidInputException("x", refused, r, "the model refuses " + refused));
                }
            }
            out.probabilities(p).output("p", p);
        }

        @Override
        public void close() {
        }
    }

    private static Scorer sigmoid(List<String> classes, double scale, double refused) {
        return new DefaultScorer(new Sigmoid(classes, scale, refused), ScorerOptions.defaults());
    }

    /** Records x = 0, 0.01, ... with id "c<i>". */
    private static Stream<Map<String, Object>> records(int n) {
        return IntStream.range(0, n).mapToObj(i -> Map.of("x", i / 100.0, "id", "c" + i));
    }

    @Test
    void theSameModelTwiceAgreesOnEveryRowWithZeroDifferences() {
        try (Scorer a = new DefaultScorer(new LineModel(1), ScorerOptions.defaults());
             Scorer b = new DefaultScorer(new LineModel(1), ScorerOptions.defaults())) {
            ModelComparison.Report report = ModelComparison.builder().build().compare(a, b, records(1000));

            assertEquals(1000, report.rows());
            assertEquals(1000, report.rowsCompared());
            ModelComparison.Output value = report.output("value").orElseThrow();
            assertEquals(1000, value.compared());
            assertEquals(1000, value.agreeing());
            assertEquals(0, value.maxAbsolute());
            assertEquals(0, value.p99Absolute());
            assertTrue(report.worstRows().isEmpty());
            assertTrue(report.agrees(), report.toString());
            assertTrue(report.toString().endsWith("AGREE"), report.toString());
        }
    }

    /** y = 1 + 2x against y = 1.5 + 2x over 2,500 rows (three chunks): every row differs by exactly 0.5. */
    @Test
    void aShiftedRegressionDiffersByItsShiftOnEveryRow() {
        try (Scorer a = new DefaultScorer(new LineModel(1), ScorerOptions.defaults());
             Scorer b = new DefaultScorer(new LineModel(1.5), ScorerOptions.defaults())) {
            ModelComparison.Report report = ModelComparison.builder().idColumn("id").rowsKept(3).build()
                    .compare(a, b, records(2500));

            ModelComparison.Output value = report.output("value").orElseThrow();
            assertEquals(2499, value.compared()); // x = 13 (row 1300) is refused by both
            assertEquals(1, report.failedByBoth());
            assertEquals(0, value.agreeing());
            assertEquals(0.5, value.maxAbsolute(), 1e-12);
            assertEquals(0.5, value.p50Absolute(), 0.5 / 32);
            assertEquals(0.5, value.p99Absolute(), 0.5 / 32);
            // relative to |a| = 1 + 2x: largest at x = 0 (0.5), the median near x = 12.5 (0.5 / 26)
            assertEquals(0.5, value.maxRelative(), 1e-12);
            assertEquals(0.5 / 26, value.p50Relative(), 0.5 / 26 / 16);
            assertEquals(3, report.worstRows().size());
            assertEquals("value", report.worstRows().get(0).output());
            ModelComparison.WorstRow worst = report.worstRows().get(0);
            assertEquals(0.5, worst.b() - worst.a(), 1e-12);
            assertEquals("c" + worst.row(), worst.id());
            assertFalse(report.agrees());
            assertTrue(report.toString().contains("id c" + worst.row() + " (row " + worst.row() + "): value "), report.toString());
            assertTrue(report.toString().endsWith("DIFFER"), report.toString());
        }
    }

    @Test
    void labelAgreementCountsTheRowsWhoseLabelsAreEqual() {
        // scale 1 vs 3: same side of 0.5 everywhere except x = 5 exactly (both 0.5), so labels agree; probabilities differ
        try (Scorer a = sigmoid(List.of("0", "1"), 1, Double.NaN);
             Scorer b = sigmoid(List.of("0", "1"), 3, Double.NaN)) {
            ModelComparison.Report report = ModelComparison.builder().build().compare(a, b, records(1000));

            ModelComparison.Output label = report.output("label").orElseThrow();
            assertEquals(1000, label.compared());
            assertEquals(1000, label.agreeing());
            assertEquals(1.0, label.agreementRate());
            assertTrue(Double.isNaN(label.maxAbsolute()));
            ModelComparison.Output p1 = report.output("probability(1)").orElseThrow();
            assertEquals(1 / (1 + Math.exp(-3 * -5.0)) - 1 / (1 + Math.exp(5.0)), -p1.maxAbsolute(), 0.3);
            assertTrue(p1.agreeing() < 1000);
            assertFalse(report.agrees());
        }
    }

    @Test
    void aClassOnlyOneModelHasIsReportedNotCompared() {
        try (Scorer a = sigmoid(List.of("0", "1"), 1, Double.NaN);
             Scorer b = sigmoid(List.of("0", "1", "2"), 1, Double.NaN)) {
            ModelComparison.Report report = ModelComparison.builder().build().compare(a, b, records(100));

            assertEquals(List.of("probability(2)"), report.outputsOnlyInB());
            assertEquals(List.of(), report.outputsOnlyInA());
            assertEquals(List.of("label", "probability(0)", "probability(1)"),
                    report.outputs().stream().map(ModelComparison.Output::name).toList());
            assertFalse(report.agrees());
            assertTrue(report.toString().contains("only in B:  probability(2)"), report.toString());
        }
    }

    @Test
    void aRowOnlyOneModelCanScoreIsCountedWithTheOtherModelsReason() {
        try (Scorer a = sigmoid(List.of("0", "1"), 1, Double.NaN);
             Scorer b = sigmoid(List.of("0", "1"), 1, 0.07)) {
            ModelComparison.Report report = ModelComparison.builder().idColumn("id").build().compare(a, b, records(100));

            assertEquals(100, report.rows());
            assertEquals(99, report.rowsCompared());
            assertEquals(1, report.failedOnlyByB());
            assertEquals(0, report.failedOnlyByA());
            ModelComparison.OneSidedRow row = report.oneSidedRows().get(0);
            assertEquals(7, row.row());
            assertEquals("c7", row.id());
            assertEquals("B", row.failedModel());
            assertTrue(row.failure().contains("the model refuses 0.07"), row.failure());
            assertEquals(99, report.output("probability(1)").orElseThrow().agreeing());
            assertFalse(report.agrees());
        }
    }

    @Test
    void rowsNeitherModelCanScoreDoNotCountAgainstAgreement() {
        try (Scorer a = new DefaultScorer(new LineModel(1), ScorerOptions.defaults());
             Scorer b = new DefaultScorer(new LineModel(1), ScorerOptions.defaults())) {
            ModelComparison.Report report = ModelComparison.builder().build()
                    .compare(a, b, Stream.of(Map.of("x", 13), Map.of("x", 1)));

            assertEquals(1, report.failedByBoth());
            assertEquals(1, report.rowsCompared());
            assertTrue(report.agrees());
        }
    }

    @Test
    void differenceQuantilesAreWithinOneThirtySecondOfTheTrueValue() {
        DifferenceHistogram h = new DifferenceHistogram();
        for (int i = 1; i <= 10_000; i++) {
            h.record(i * 1e-9);
        }
        assertEquals(5e-6, h.quantile(0.50), 5e-6 / 32);
        assertEquals(9.9e-6, h.quantile(0.99), 9.9e-6 / 32);
        assertEquals(1e-5, h.max());
        h.record(Double.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, h.max());
    }
}
