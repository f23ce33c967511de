package dev.handoff.pmml;

import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.ModelLoadException;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import org.dmg.pmml.PMML;
import org.jpmml.evaluator.EvaluationException;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.HasProbability;
import org.jpmml.evaluator.ModelEvaluatorBuilder;
import org.jpmml.model.PMMLUtil;
import dev.handoff.testing.PmmlDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Missing values go to the PMML model, whose own treatment decides, exactly as JPMML-Evaluator called
 * directly with a missing value decides: tree {@code missingValueStrategy} and {@code noTrueChildStrategy},
 * {@code missingValueReplacement}, {@code returnInvalid}. Where JPMML gives no prediction, the row is
 * rejected naming its missing field.
 */
class PmmlMissingValueTest {

    /**
     * A tree on x and z: root (10 / "no"), x &lt; 5 → left (20 / "yes", then z &lt; 0 → 1 / "no",
     * z &gt;= 0 → 3 / "yes"), x &gt;= 5 → right (40 / "no"). Every split names its default child.
     * Placeholders: target DataField, function, missingValueStrategy, noTrueChildStrategy, Output, then
     * score and ScoreDistributions of root, left, left-low, left-high, right.
     */
    private static final String TREE = """
            <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
              <DataDictionary>
                <DataField name="x" optype="continuous" dataType="double"/>
                <DataField name="z" optype="continuous" dataType="double"/>
                %s
              </DataDictionary>
              <TreeModel functionName="%s" missingValueStrategy="%s" noTrueChildStrategy="%s">
                <MiningSchema><MiningField name="x"/><MiningField name="z"/><MiningField name="y" usageType="target"/></MiningSchema>
                %s
                <Node id="root" score="%s" recordCount="100" defaultChild="left"><True/>%s
                  <Node id="left" score="%s" recordCount="60" defaultChild="left-high">
                    <SimplePredicate field="x" operator="lessThan" value="5"/>%s
                    <Node id="left-low" score="%s" recordCount="15"><SimplePredicate field="z" operator="lessThan" value="0"/>%s</Node>
                    <Node id="left-high" score="%s" recordCount="45"><SimplePredicate field="z" operator="greaterOrEqual" value="0"/>%s</Node>
                  </Node>
                  <Node id="right" score="%s" recordCount="40"><SimplePredicate field="x" operator="greaterOrEqual" value="5"/>%s</Node>
                </Node>
              </TreeModel>
            </PMML>
            """;

    private static final List<String> SUPPORTED_STRATEGIES = List.of("none", "lastPrediction", "nullPrediction", "defaultChild");
    private static final List<String> NO_TRUE_CHILD_STRATEGIES = List.of("returnNullPrediction", "returnLastPrediction");

    /** Records with every form of a missing value (absent key, null, NaN, ""), complete ones, and ones missing off the path. */
    private static List<Map<String, Object>> records() {
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(record(2.0, 1.0));      // complete: left-high
        records.add(record(2.0, -1.0));     // complete: left-low
        records.add(record(7.0, 1.0));      // complete: right
        records.add(Map.of("z", 1.0));      // x absent
        records.add(record(2.0, null));     // z null
        records.add(record(Double.NaN, ""));// both missing
        records.add(Map.of("x", 7.0));      // z absent, but the path to right never reads z
        records.add(record(null, -1.0));    // x null
        return records;
    }

    private static Map<String, Object> record(Object x, Object z) {
        Map<String, Object> record = new HashMap<>();
        record.put("x", x);
        record.put("z", z);
        return record;
    }

    static String classificationTree(String missingValueStrategy, String noTrueChildStrategy) {
        return TREE.formatted("<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"no\"/>"
                        + "<Value value=\"yes\"/></DataField>", "classification", missingValueStrategy, noTrueChildStrategy,
                CLASSIFICATION_OUTPUT, "no", distribution(55, 45), "yes", distribution(20, 40), "no", distribution(12, 3),
                "yes", distribution(8, 37), "no", distribution(35, 5));
    }

    static String regressionTree(String missingValueStrategy, String noTrueChildStrategy) {
        return TREE.formatted("<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>", "regression",
                missingValueStrategy, noTrueChildStrategy, "", "10", "", "20", "", "1", "", "3", "", "40", "");
    }

    /** As converters write it; without probability OutputFields JPMML scores a classification tree to a bare label. */
    private static final String CLASSIFICATION_OUTPUT = """
            <Output>
              <OutputField name="probability(no)" optype="continuous" dataType="double" feature="probability" value="no"/>
              <OutputField name="probability(yes)" optype="continuous" dataType="double" feature="probability" value="yes"/>
            </Output>""";

    private static String distribution(int no, int yes) {
        return "<ScoreDistribution value=\"no\" recordCount=\"" + no + "\"/><ScoreDistribution value=\"yes\" recordCount=\"" + yes + "\"/>";
    }

    static Stream<Arguments> supportedTreeStrategies() {
        List<Arguments> cases = new ArrayList<>();
        for (String function : List.of("classification", "regression")) {
            for (String strategy : SUPPORTED_STRATEGIES) {
                for (String noTrueChild : NO_TRUE_CHILD_STRATEGIES) {
                    cases.add(Arguments.of(function, strategy, noTrueChild));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} missingValueStrategy={1} noTrueChildStrategy={2}")
    @MethodSource("supportedTreeStrategies")
    void treeStrategyGivesWhatJpmmlGivesForEveryMissingValue(String function, String strategy, String noTrueChild) {
        String document = function.equals("classification") ? classificationTree(strategy, noTrueChild)
                : regressionTree(strategy, noTrueChild);
        Evaluator jpmml = jpmml(document);
        List<Map<String, Object>> records = records();
        int noPrediction = 0;
        try (Scorer scorer = Scorer.load(bytes(document))) {
            Predictions batch = scorer.scoreAll(records);
            assertEquals(records.size(), batch.size());
            for (int r = 0; r < records.size(); r++) {
                Map<String, Object> record = records.get(r);
                Object expected = evaluateDirectly(jpmml, record);
                String where = function + " " + strategy + " " + noTrueChild + " record " + record;
                if (EvaluatorUtil.decode(expected) == null) {
                    noPrediction++;
                    InvalidInputException single = assertThrows(InvalidInputException.class, () -> scorer.score(record), where);
                    assertTrue(missingFields(record).contains(single.field()), where + " names " + single.field());
                    assertTrue(single.getMessage().contains("no prediction"), single.getMessage());
                    InvalidInputException inBatch = batch.get(r).failure().orElseThrow(() -> new AssertionError(where));
                    assertEquals(r, inBatch.row());
                    assertEquals(single.field(), inBatch.field());
                } else {
                    assertSameAsJpmml(expected, scorer.score(record), where);
                    assertSameAsJpmml(expected, batch.get(r), where + " in a batch");
                }
            }
        }
        // the records do reach the strategies: missing x at the root, missing z below 'left'
        boolean nullAtUnknown = strategy.equals("nullPrediction")
                || strategy.equals("none") && noTrueChild.equals("returnNullPrediction");
        assertEquals(nullAtUnknown ? 4 : 0, noPrediction, function + " " + strategy + " " + noTrueChild);
    }

    /** The values each strategy gives, pinned so that a change of JPMML's semantics is noticed, not just mirrored. */
    @ParameterizedTest(name = "{0}/{1} x={2} z={3} -> {4}")
    @CsvSource(nullValues = "-", value = {
            "none,           returnNullPrediction, -, 1,   -",
            "none,           returnLastPrediction, -, 1,   10",
            "none,           returnLastPrediction, 2, -,   20",
            "lastPrediction, returnNullPrediction, -, 1,   10",
            "lastPrediction, returnNullPrediction, 2, -,   20",
            "nullPrediction, returnLastPrediction, 2, -,   -",
            "defaultChild,   returnNullPrediction, -, -,   3",
            "defaultChild,   returnNullPrediction, -, -1,  1",
            "defaultChild,   returnNullPrediction, 7, -,   40",
    })
    void regressionTreeStrategyGivesTheDocumentedValue(String strategy, String noTrueChild, Double x, Double z, Double value) {
        try (Scorer scorer = Scorer.load(bytes(regressionTree(strategy, noTrueChild)))) {
            Map<String, Object> record = record(x, z);
            if (value == null) {
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(record));
                assertEquals(x == null ? "x" : "z", e.field());
            } else {
                assertEquals(value, scorer.score(record).value(), 0.0);
            }
        }
    }

    @Test
    void classificationTreeWithLastPredictionGivesTheLastNodesDistribution() {
        try (Scorer scorer = Scorer.load(bytes(classificationTree("lastPrediction", "returnNullPrediction")))) {
            Prediction p = scorer.score(record(2.0, null)); // stops at 'left': 20 no, 40 yes
            assertEquals("yes", p.label());
            assertEquals(40.0 / 60.0, p.probability("yes"), 1e-12);
            assertEquals(20.0 / 60.0, p.probability("no"), 1e-12);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"weightedConfidence", "aggregateNodes"})
    void treeStrategyJpmmlDoesNotImplementIsRefusedAtLoad(String strategy) {
        String document = classificationTree(strategy, "returnNullPrediction");
        // JPMML itself builds the evaluator and fails only when a missing value reaches the tree
        Evaluator jpmml = jpmml(document);
        assertEquals("yes", EvaluatorUtil.decode(evaluateDirectly(jpmml, record(2.0, 1.0))));
        assertThrows(org.jpmml.model.UnsupportedMarkupException.class, () -> evaluateDirectly(jpmml, record(null, 1.0)));

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes(document)));
        assertTrue(e.getMessage().contains("missingValueStrategy '" + strategy + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("does not implement"), e.getMessage());
    }

    @Test
    void defaultChildStrategyWithoutADefaultChildIsRefusedAtLoad() {
        String document = regressionTree("defaultChild", "returnNullPrediction").replace(" defaultChild=\"left-high\"", "");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes(document)));
        assertTrue(e.getMessage().contains("Node 'left' has children and no defaultChild"), e.getMessage());

        String unknownChild = regressionTree("defaultChild", "returnNullPrediction").replace("defaultChild=\"left-high\"",
                "defaultChild=\"nowhere\"");
        e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes(unknownChild)));
        assertTrue(e.getMessage().contains("names defaultChild 'nowhere'"), e.getMessage());
    }

    /** y = 1 + 2x + 3w; {@code %s} is x's MiningField attributes. */
    private static final String REGRESSION = PmmlDocument.line(1, 2).input("w").predictor("w", 3).text()
            .replace("<MiningField name=\"x\"/>", "<MiningField name=\"x\"%s/>");

    @Test
    void regressionWithoutReplacementGivesNoPredictionForAMissingInputAndTheRowIsRejected() {
        String document = REGRESSION.formatted("");
        assertNull(EvaluatorUtil.decode(evaluateDirectly(jpmml(document), Map.of("w", 1.0))), "JPMML gives no value");
        try (Scorer scorer = Scorer.load(bytes(document))) {
            assertEquals(MissingValueTreatment.MODEL_HANDLES, scorer.inputs().get(0).missingValues());
            assertEquals(8.0, scorer.score(Map.of("x", 2, "w", 1)).value(), 1e-12);

            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(Map.of("w", 1.0)));
            assertEquals("x", e.field());
            assertNull(e.value());
            assertTrue(e.getMessage().contains("no prediction"), e.getMessage());

            Predictions batch = scorer.scoreAll(List.of(Map.of("x", 2, "w", 1), Map.of("w", 1.0)));
            assertEquals(8.0, batch.get(0).value(), 1e-12);
            assertEquals("x", batch.get(1).failure().orElseThrow().field());
            assertEquals(1, batch.get(1).failure().orElseThrow().row());
            assertTrue(Double.isNaN(batch.values()[1]));
        }
    }

    @Test
    void returnInvalidMakesTheInputNotAcceptedAndAMissingValueRejectsTheRow() {
        String document = REGRESSION.formatted(" missingValueTreatment=\"returnInvalid\"");
        try (Scorer scorer = Scorer.load(bytes(document))) {
            InputField x = scorer.inputs().get(0);
            assertEquals("x", x.name());
            assertEquals(MissingValueTreatment.NOT_ACCEPTED, x.missingValues());
            assertFalse(x.acceptsMissing());
            assertEquals(MissingValueTreatment.MODEL_HANDLES, scorer.inputs().get(1).missingValues());

            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(Map.of("w", 1.0)));
            assertEquals("x", e.field());
            assertTrue(e.getMessage().contains("does not accept a missing value"), e.getMessage());

            Predictions batch = scorer.scoreAll(List.of(record2(null, 1.0), record2(2.0, 1.0)));
            assertEquals("x", batch.get(0).failure().orElseThrow().field());
            assertEquals(0, batch.get(0).failure().orElseThrow().row());
            assertEquals(8.0, batch.get(1).value(), 1e-12);
        }
    }

    @Test
    void missingValueReplacementMakesTheInputModelReplacedAndIsApplied() {
        String document = REGRESSION.formatted(" missingValueReplacement=\"4\" missingValueTreatment=\"asMean\"");
        Object direct = evaluateDirectly(jpmml(document), Map.of("w", 1.0));
        try (Scorer scorer = Scorer.load(bytes(document))) {
            assertEquals(MissingValueTreatment.MODEL_REPLACES, scorer.inputs().get(0).missingValues());
            double replaced = 1 + 2 * 4 + 3;
            assertEquals(replaced, ((Number) EvaluatorUtil.decode(direct)).doubleValue(), 0.0);
            assertEquals(replaced, scorer.score(Map.of("w", 1.0)).value(), 0.0);
            assertEquals(replaced, scorer.score(record2(Double.NaN, 1.0)).value(), 0.0);
            assertEquals(replaced, scorer.score(record2("", 1.0)).value(), 0.0);
            assertEquals(replaced, scorer.score(record2(4.0, 1.0)).value(), 0.0);
        }
        ScorerOptions reject = ScorerOptions.builder().rejectMissingValues(true).build();
        try (Scorer strict = Scorer.load(bytes(document), reject)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> strict.score(Map.of("w", 1.0)));
            assertEquals("x", e.field());
            assertTrue(e.getMessage().contains("ScorerOptions.rejectMissingValues"), e.getMessage());
        }
    }

    // ---- JPMML-Evaluator called directly ----

    static Evaluator jpmml(String document) {
        try {
            PMML pmml = PMMLUtil.unmarshal(new ByteArrayInputStream(bytes(document)));
            return new ModelEvaluatorBuilder(pmml).build();
        } catch (Exception e) {
            throw new AssertionError("JPMML cannot read the test document", e);
        }
    }

    /**
     * The target as JPMML gives it for the record, with each of Handoff's forms of a missing value
     * (absent, null, NaN, "") given to JPMML as a missing value; {@code null} when JPMML gives none.
     */
    static Object evaluateDirectly(Evaluator evaluator, Map<String, ?> record) {
        Map<String, FieldValue> arguments = new LinkedHashMap<>();
        for (org.jpmml.evaluator.InputField field : evaluator.getInputFields()) {
            Object value = record.get(field.getName());
            boolean missing = value == null || "".equals(value) || value instanceof Double d && d.isNaN();
            arguments.put(field.getName(), field.prepare(missing ? null : value));
        }
        try {
            return evaluator.evaluate(arguments).get(evaluator.getTargetFields().get(0).getName());
        } catch (EvaluationException e) {
            return null;
        }
    }

    private static void assertSameAsJpmml(Object expected, Prediction p, String where) {
        Object decoded = EvaluatorUtil.decode(expected);
        if (decoded instanceof Number number) {
            assertEquals(number.doubleValue(), p.value(), 0.0, where);
            return;
        }
        assertEquals(decoded, p.label(), where);
        assertEquals(decoded, p.output("y"), where);
        HasProbability distribution = (HasProbability) expected;
        for (String label : List.of("no", "yes")) {
            Double probability = distribution.getProbability(label);
            assertEquals(probability == null ? 0.0 : probability, p.probability(label), 0.0, where + " probability(" + label + ")");
        }
    }

    private static List<String> missingFields(Map<String, Object> record) {
        List<String> missing = new ArrayList<>();
        for (String name : List.of("x", "z")) {
            Object value = record.get(name);
            if (value == null || "".equals(value) || value instanceof Double d && d.isNaN()) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static Map<String, Object> record2(Object x, Object w) {
        Map<String, Object> record = new HashMap<>();
        record.put("x", x);
        record.put("w", w);
        return record;
    }

    static byte[] bytes(String document) {
        return document.getBytes(StandardCharsets.UTF_8);
    }
}
