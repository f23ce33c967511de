package dev.handoff.pmml;

import dev.handoff.Batch;
import dev.handoff.InvalidInputException;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.UnknownCategoryPolicy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch of PMML rows keeps its good rows: each bad row gets its own InvalidInputException (row index
 * and field set), whether it failed to bind, was refused by a policy, or got no prediction from the
 * model; every good row scores exactly as it does alone. The same through {@code scoreAll} and
 * {@code score(Batch)}.
 */
class PmmlRowOutcomesTest {

    /**
     * x &lt; 5 → "yes" (10 no / 30 yes); x &gt;= 5 → colour = red → "yes" (5 / 15), colour != red → "no" (20 / 4).
     * missingValueStrategy nullPrediction: a missing value on the path gives no prediction. Unknown
     * colours go to the model as they are (invalidValueTreatment asIs), as scikit-learn exports do.
     */
    private static final String TREE = """
            <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
              <DataDictionary>
                <DataField name="x" optype="continuous" dataType="double"/>
                <DataField name="colour" optype="categorical" dataType="string"><Value value="red"/><Value value="blue"/></DataField>
                <DataField name="y" optype="categorical" dataType="string"><Value value="no"/><Value value="yes"/></DataField>
              </DataDictionary>
              <TreeModel functionName="classification" missingValueStrategy="nullPrediction">
                <MiningSchema>
                  <MiningField name="x"/><MiningField name="colour" invalidValueTreatment="asIs"/>
                  <MiningField name="y" usageType="target"/>
                </MiningSchema>
                <Output>
                  <OutputField name="probability(no)" optype="continuous" dataType="double" feature="probability" value="no"/>
                  <OutputField name="probability(yes)" optype="continuous" dataType="double" feature="probability" value="yes"/>
                </Output>
                <Node score="no"><True/>
                  <Node score="yes"><SimplePredicate field="x" operator="lessThan" value="5"/>
                    <ScoreDistribution value="no" recordCount="10"/><ScoreDistribution value="yes" recordCount="30"/></Node>
                  <Node score="no"><SimplePredicate field="x" operator="greaterOrEqual" value="5"/>
                    <Node score="yes"><SimplePredicate field="colour" operator="equal" value="red"/>
                      <ScoreDistribution value="no" recordCount="5"/><ScoreDistribution value="yes" recordCount="15"/></Node>
                    <Node score="no"><SimplePredicate field="colour" operator="notEqual" value="red"/>
                      <ScoreDistribution value="no" recordCount="20"/><ScoreDistribution value="yes" recordCount="4"/></Node>
                  </Node>
                </Node>
              </TreeModel>
            </PMML>
            """;

    /** x as a CSV reader gives it, colour with null for missing. */
    private static final String[] X = {"2", "abc", "7", "7", "7", "7", "3"};
    private static final String[] COLOUR = {"red", "red", null, "green", "blue", "red", null};

    private static List<Map<String, Object>> records() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int r = 0; r < X.length; r++) {
            Map<String, Object> record = new HashMap<>();
            record.put("x", X[r]);
            if (COLOUR[r] != null || r == 6) { // row 2 leaves the key out, row 6 gives null
                record.put("colour", COLOUR[r]);
            }
            records.add(record);
        }
        return records;
    }

    private static Batch batch() {
        return Batch.builder(X.length).strings("x", X).strings("colour", COLOUR).build();
    }

    /** Expected failure of a bad row: its field and a fragment of its message. */
    private record Bad(int row, String field, String problem) {
    }

    @Test
    void badRowsFailAloneUnderMissingValuesToTheModel() {
        ScorerOptions options = ScorerOptions.builder().unknownCategories(UnknownCategoryPolicy.ERROR).build();
        List<Bad> bad = List.of(
                new Bad(1, "x", "is not a number"),
                new Bad(2, "colour", "no prediction"),        // missing colour reaches the tree, which gives none
                new Bad(3, "colour", "is not a known category"));
        try (Scorer scorer = Scorer.load(bytes(TREE), options)) {
            assertRowOutcomes(scorer, bad, s -> s.scoreAll(records()));
            assertRowOutcomes(scorer, bad, s -> s.score(batch()));
            // row 6 misses colour too, but its path (x < 5) never reads it
            assertEquals("yes", scorer.score(records().get(6)).label());
        }
    }

    @Test
    void badRowsFailAloneUnderMissingValuesRejected() {
        ScorerOptions options = ScorerOptions.builder()
                .unknownCategories(UnknownCategoryPolicy.ERROR)
                .rejectMissingValues(true)
                .build();
        List<Bad> bad = List.of(
                new Bad(1, "x", "is not a number"),
                new Bad(2, "colour", "ScorerOptions.rejectMissingValues"),
                new Bad(3, "colour", "is not a known category"),
                new Bad(6, "colour", "ScorerOptions.rejectMissingValues"));
        try (Scorer scorer = Scorer.load(bytes(TREE), options)) {
            assertRowOutcomes(scorer, bad, s -> s.scoreAll(records()));
            assertRowOutcomes(scorer, bad, s -> s.score(batch()));
        }
    }

    private static void assertRowOutcomes(Scorer scorer, List<Bad> bad, Function<Scorer, Predictions> call) {
        List<Map<String, Object>> records = records();
        Predictions batch = call.apply(scorer);
        assertEquals(records.size(), batch.size());
        assertTrue(batch.hasFailures());
        assertEquals(bad.stream().map(Bad::row).toList(), batch.failures().stream().map(InvalidInputException::row).toList());

        String[] labels = batch.labels();
        double[] yes = batch.probabilities("yes");
        List<Object> outputY = batch.outputs("y");
        List<Object> outputYes = batch.outputs("probability(yes)");
        for (int r = 0; r < records.size(); r++) {
            int row = r;
            Bad expected = bad.stream().filter(b -> b.row() == row).findFirst().orElse(null);
            Prediction p = batch.get(r);
            if (expected != null) {
                assertTrue(p.failed(), "row " + r);
                InvalidInputException e = p.failure().orElseThrow();
                assertEquals(r, e.row());
                assertEquals(expected.field(), e.field(), "row " + r);
                assertTrue(e.getMessage().contains(expected.problem()), "row " + r + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("in row " + r), e.getMessage());
                assertSame(e, assertThrows(InvalidInputException.class, p::label).getCause(), "thrown fresh, the stored failure its cause");
                assertNull(labels[r]);
                assertTrue(Double.isNaN(yes[r]));
                assertNull(outputY.get(r));
                assertNull(outputYes.get(r));

                // alone, the same record throws, for the same field
                InvalidInputException alone = assertThrows(InvalidInputException.class, () -> scorer.score(records.get(row)));
                assertEquals(-1, alone.row());
                assertEquals(expected.field(), alone.field());
            } else {
                assertFalse(p.failed(), () -> "row " + row + ": " + p.failure().orElseThrow().getMessage());
                Prediction single = scorer.score(records.get(r));
                assertEquals(single.label(), p.label(), "row " + r);
                assertEquals(single.probabilities(), p.probabilities(), "row " + r);
                assertEquals(single.output("y"), p.output("y"), "row " + r);
                assertEquals(single.label(), labels[r]);
                assertEquals(single.probability("yes"), yes[r], 0.0);
                assertEquals(single.output("probability(yes)"), outputYes.get(r));
            }
        }
        // the good rows' values, pinned
        assertEquals("yes", labels[0]);
        assertEquals(0.75, yes[0], 1e-12);
        assertEquals("no", labels[4]);
        assertEquals(4.0 / 24.0, yes[4], 1e-12);
        assertEquals("yes", labels[5]);
        assertEquals(0.75, yes[5], 1e-12);
    }

    @Test
    void unknownCategoryAsMissingGoesToTheModelAsAMissingValue() {
        ScorerOptions asMissing = ScorerOptions.builder().unknownCategories(UnknownCategoryPolicy.AS_MISSING).build();
        try (Scorer scorer = Scorer.load(bytes(TREE), asMissing);
             Scorer asDeclared = Scorer.load(bytes(TREE))) {
            // as the model declares (asIs), 'green' is not red: the notEqual branch
            assertEquals("no", asDeclared.score(Map.of("x", 7, "colour", "green")).label());
            // as missing, the colour split is UNKNOWN and the tree's nullPrediction strategy gives no prediction
            Predictions batch = scorer.scoreAll(List.of(Map.of("x", 7, "colour", "green"), Map.of("x", 2, "colour", "green")));
            InvalidInputException e = batch.get(0).failure().orElseThrow();
            assertEquals("colour", e.field());
            assertTrue(e.getMessage().contains("no prediction"), e.getMessage());
            assertEquals("yes", batch.get(1).label()); // x < 5 never reads colour
        }
    }

    @Test
    void aRowForWhichTheModelGivesNoPredictionFailsAloneInAnOtherwiseGoodBatch() {
        try (Scorer scorer = Scorer.load(bytes(TREE))) {
            Map<String, Object> incomplete = new HashMap<>();
            incomplete.put("x", 9.5);
            Predictions batch = scorer.scoreAll(List.of(Map.of("x", 9.5, "colour", "blue"), incomplete,
                    Map.of("x", 1, "colour", "blue")));
            assertEquals(List.of(1), batch.failures().stream().map(InvalidInputException::row).toList());
            InvalidInputException e = batch.failures().get(0);
            assertEquals("colour", e.field());
            assertTrue(e.getMessage().contains("field 'colour' is missing"), e.getMessage());
            assertEquals("no", batch.get(0).label());
            assertEquals("yes", batch.get(2).label());
        }
    }

    @Test
    void aBatchInWhichNoRowGetsAPredictionStillReadsAsColumns() {
        try (Scorer scorer = Scorer.load(bytes(TREE))) {
            Map<String, Object> incomplete = new HashMap<>();
            incomplete.put("x", 9.5);
            Predictions batch = scorer.scoreAll(List.of(incomplete, incomplete));
            assertEquals(List.of(0, 1), batch.failures().stream().map(InvalidInputException::row).toList());
            assertTrue(batch.hasProbabilities());
            assertTrue(Double.isNaN(batch.probabilities("yes")[0]));
            assertTrue(Double.isNaN(batch.probabilities("no")[1]));
            assertNull(batch.labels()[1]);
        }
    }

    private static byte[] bytes(String document) {
        return document.getBytes(StandardCharsets.UTF_8);
    }
}
