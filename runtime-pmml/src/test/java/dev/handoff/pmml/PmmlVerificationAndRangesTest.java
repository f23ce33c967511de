package dev.handoff.pmml;

import dev.handoff.ScorerStats.RowFailureKind;
import dev.handoff.ScorerStats.InputStats;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.Verification;
import dev.handoff.VerificationReport;
import dev.handoff.testing.PmmlDocument;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A PMML document's own golden cases through {@link Scorer#verify}, and its declared value ranges in {@link Scorer#stats()}. */
class PmmlVerificationAndRangesTest {

    private static byte[] bytes(String pmml) {
        return pmml.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void embeddedModelVerificationRunsThroughTheSameReport() {
        try (Scorer scorer = Scorer.load(PmmlLoadErrorsTest.verifiedLine("5").bytes())) {
            Verification embedded = scorer.embeddedVerification().orElseThrow();
            VerificationReport report = scorer.verify(embedded);

            assertTrue(report.passed(), report.toString());
            assertEquals(2, report.casesRun());
            assertEquals("<bytes> <ModelVerification>", report.source());
            assertEquals(1e-6, embedded.relativeTolerance());
            assertEquals(Map.of("x", "2"), embedded.cases().get(1).input());
            assertEquals(List.of("y"), report.columns().stream().map(VerificationReport.Column::name).toList());
        }
    }

    @Test
    void failingEmbeddedCaseIsReportedWithExpectedAndActualWhenLoadedWithoutVerifyAtLoad() {
        ScorerOptions lenient = ScorerOptions.builder().runtime(PmmlOptions.builder().verifyAtLoad(false).build()).build();
        try (Scorer scorer = Scorer.load(PmmlLoadErrorsTest.verifiedLine("7").bytes(), lenient)) {
            VerificationReport report = scorer.verify(scorer.embeddedVerification().orElseThrow());

            assertFalse(report.passed());
            assertEquals("ModelVerification row 2, column y: expected 7.0, got 5.0 (abs error 2.00)", report.firstMismatches().get(0).toString());
        }
    }

    @Test
    void corpusModelWithoutModelVerificationHasNoEmbeddedCases() {
        try (Scorer scorer = Scorer.load(dev.handoff.testing.CorpusModel.IRIS_PMML.modelBytes())) {
            assertTrue(scorer.embeddedVerification().isEmpty());
        }
    }

    @Test
    void numbersOutsideTheDeclaredIntervalsAndValuesAreCounted() {
        UnaryOperator<String> pmml = treatment -> PmmlDocument.regression(1)
                .input("age", "continuous", "double", "<Interval closure=\"closedOpen\" leftMargin=\"18\" rightMargin=\"100\"/>"
                        + "<Value value=\"999\" property=\"missing\"/>", "invalidValueTreatment=\"" + treatment + "\"")
                .predictor("age", 2).text();

        List<Map<String, Object>> ages = List.of(Map.of("age", 18), Map.of("age", 99.5), Map.of("age", 100), Map.of("age", 17),
                Map.of("age", 30));
        try (Scorer asIs = Scorer.load(bytes(pmml.apply("asIs")));
             Scorer returnInvalid = Scorer.load(bytes(pmml.apply("returnInvalid")))) {
            assertEquals(0, asIs.scoreAll(ages).failures().size(), "asIs: the model scores values outside its range");
            assertEquals(2, returnInvalid.scoreAll(ages).failures().size(), "returnInvalid: the model refuses them");

            InputStats scored = asIs.stats().inputs().get("age");
            InputStats refused = returnInvalid.stats().inputs().get("age");

            assertEquals(2, scored.outOfRange()); // 100 (open end) and 17
            assertEquals(0, scored.invalid());
            assertEquals("[18.0, 100.0)", scored.declaredRange().orElseThrow().toString());
            assertEquals(2, refused.outOfRange());
            assertEquals(2, refused.invalid());
            assertEquals(2, returnInvalid.stats().failedRows(dev.handoff.ScorerStats.RowFailureKind.REJECTED_BY_MODEL));
        }
    }
}
