package dev.handoff.pmml;

import dev.handoff.ScorerStats.RowFailureKind;
import dev.handoff.ScorerStats.InputStats;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.Verification;
import dev.handoff.VerificationReport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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
        try (Scorer scorer = Scorer.load(bytes(PmmlLoadErrorsTest.VERIFIED_REGRESSION.formatted("5")))) {
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
        try (Scorer scorer = Scorer.load(bytes(PmmlLoadErrorsTest.VERIFIED_REGRESSION.formatted("7")), lenient)) {
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
        String pmml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
                  <Header/>
                  <DataDictionary>
                    <DataField name="age" optype="continuous" dataType="double">
                      <Interval closure="closedOpen" leftMargin="18" rightMargin="100"/>
                      <Value value="999" property="missing"/>
                    </DataField>
                    <DataField name="y" optype="continuous" dataType="double"/>
                  </DataDictionary>
                  <RegressionModel functionName="regression">
                    <MiningSchema><MiningField name="age" invalidValueTreatment="%s"/><MiningField name="y" usageType="target"/></MiningSchema>
                    <RegressionTable intercept="1"><NumericPredictor name="age" coefficient="2"/></RegressionTable>
                  </RegressionModel>
                </PMML>
                """;
        List<Map<String, Object>> ages = List.of(Map.of("age", 18), Map.of("age", 99.5), Map.of("age", 100), Map.of("age", 17),
                Map.of("age", 30));
        try (Scorer asIs = Scorer.load(bytes(pmml.formatted("asIs")));
             Scorer returnInvalid = Scorer.load(bytes(pmml.formatted("returnInvalid")))) {
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
