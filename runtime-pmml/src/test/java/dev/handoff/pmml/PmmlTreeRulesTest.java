package dev.handoff.pmml;

import dev.handoff.Prediction;
import dev.handoff.Scorer;
import dev.handoff.internal.tree.TreeEngines;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JPMML-Evaluator's tree semantics that the compiled tree engine copies, one rule per test, each on a small document
 * scored by both engines: the expected value pins the rule, the comparison pins the engine to JPMML.
 */
class PmmlTreeRulesTest {

    @Test
    void floatFieldIsComparedWithTheThresholdParsedAsFloat() {
        // 0.1f widened is above 0.1 in double, equal to it in float
        double x = (double) 0.1f;
        String node = "<Node score=\"1\"><SimplePredicate field=\"x\" operator=\"lessOrEqual\" value=\"0.1\"/></Node>"
                + "<Node score=\"2\"><True/></Node>";
        assertEquals(1.0, score(tree("float", "none", "returnNullPrediction", node), x));
        assertEquals(2.0, score(tree("double", "none", "returnNullPrediction", node), x));
        // the input is narrowed to float too: a double just above 0.1f rounds to it
        assertEquals(1.0, score(tree("float", "none", "returnNullPrediction", node), Math.nextUp(x)));
    }

    @Test
    void missingValueMakesAComparisonUnknownAndStrategyNoneTriesTheNextChild() {
        String node = "<Node score=\"1\"><SimplePredicate field=\"x\" operator=\"notEqual\" value=\"3\"/></Node>"
                + "<Node score=\"2\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"3\"/></Node>"
                + "<Node score=\"3\"><True/></Node>";
        assertEquals(3.0, score(tree("double", "none", "returnNullPrediction", node), null));
        assertEquals(1.0, score(tree("double", "none", "returnNullPrediction", node), 5.0));
    }

    @Test
    void nullPredictionStrategyGivesNoPredictionOnAMissingValue() {
        String node = "<Node score=\"1\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"3\"/></Node>"
                + "<Node score=\"2\"><True/></Node>";
        assertEquals("no prediction", score(tree("double", "nullPrediction", "returnNullPrediction", node), null));
    }

    @Test
    void lastPredictionStrategyReturnsTheParentOnAMissingValue() {
        String node = "<Node score=\"1\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"3\"/></Node>"
                + "<Node score=\"2\"><True/></Node>";
        assertEquals(9.0, score(tree("double", "lastPrediction", "returnNullPrediction", node), null));
    }

    @Test
    void defaultChildIsEnteredWithoutEvaluatingItsPredicate() {
        String node = "<Node id=\"a\" score=\"1\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"3\"/></Node>"
                + "<Node id=\"b\" score=\"2\"><False/></Node>";
        String doc = tree("double", "defaultChild", "returnNullPrediction", node).replace("<Node score=\"9\">",
                "<Node score=\"9\" defaultChild=\"b\">");
        assertEquals(2.0, score(doc, null));
        assertEquals(1.0, score(doc, 1.0));
    }

    @Test
    void oppositeComparisonsOfTwoChildrenGiveJpmmlsAnswerAtTheThresholdAndOnAMissingValue() {
        // the engine tests only the first child when the second is its negation (a value that is not missing passes one)
        String[][] pairs = {{"lessOrEqual", "greaterThan"}, {"greaterThan", "lessOrEqual"}, {"lessThan", "greaterOrEqual"},
            {"greaterOrEqual", "lessThan"}};
        for (String[] ops : pairs) {
            for (String missing : new String[] {"defaultChild", "nullPrediction", "lastPrediction", "none"}) {
                for (String type : new String[] {"double", "float"}) {
                    String node = "<Node id=\"a\" score=\"1\"><SimplePredicate field=\"x\" operator=\"" + ops[0] + "\" value=\"0.1\"/></Node>"
                            + "<Node id=\"b\" score=\"2\"><SimplePredicate field=\"x\" operator=\"" + ops[1] + "\" value=\"0.1\"/></Node>";
                    String doc = tree(type, missing, "returnLastPrediction", node);
                    if (missing.equals("defaultChild")) {
                        doc = doc.replace("<Node score=\"9\">", "<Node score=\"9\" defaultChild=\"b\">");
                    }
                    Object expectedMissing = switch (missing) {
                        case "defaultChild" -> 2.0;
                        case "nullPrediction" -> "no prediction";
                        default -> 9.0; // the parent's score: lastPrediction, or no true child under returnLastPrediction
                    };
                    assertEquals(expectedMissing, score(doc, null), missing + " " + type + " " + ops[0]);
                    double t = type.equals("float") ? (double) 0.1f : 0.1;
                    for (double x : new double[] {t, Math.nextUp(t), Math.nextDown(t), 0.1, -0d, -1e300, 1e300}) {
                        boolean first = switch (ops[0]) {
                            case "lessOrEqual" -> x <= t;
                            case "greaterThan" -> x > t;
                            case "lessThan" -> x < t;
                            default -> x >= t;
                        };
                        if (type.equals("float") && (double) (float) x != x) {
                            continue; // narrowed to float first: pinned by floatFieldIsComparedWithTheThresholdParsedAsFloat
                        }
                        assertEquals(first ? 1.0 : 2.0, score(doc, x), missing + " " + type + " " + ops[0] + " x " + x);
                    }
                }
            }
        }
    }

    @Test
    void comparisonsThatAreNotOppositeAreBothTested() {
        // x < t then x > t: at t neither holds (the parent's score under returnLastPrediction)
        String node = "<Node id=\"a\" score=\"1\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"3\"/></Node>"
                + "<Node id=\"b\" score=\"2\"><SimplePredicate field=\"x\" operator=\"greaterThan\" value=\"3\"/></Node>";
        String doc = tree("double", "defaultChild", "returnLastPrediction", node).replace("<Node score=\"9\">",
                "<Node score=\"9\" defaultChild=\"b\">");
        assertEquals(9.0, score(doc, 3.0));
        assertEquals(2.0, score(doc, 4.0));
        // the same comparison on another field, or another threshold, is no negation either
        assertEquals(9.0, score(doc.replace("operator=\"greaterThan\" value=\"3\"", "operator=\"greaterOrEqual\" value=\"3.5\""), 3.2));
    }

    @Test
    void aReplacedMissingValueIsComparedAndNeverTakesTheMissingValuePath() {
        // nullPrediction on a field with a missingValueReplacement: the engine leaves out its test for a missing value
        String node = "<Node score=\"1\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"3\"/></Node>"
                + "<Node score=\"4\"><SimpleSetPredicate field=\"x\" booleanOperator=\"isNotIn\"><Array type=\"real\">5 6</Array>"
                + "</SimpleSetPredicate></Node><Node score=\"2\"><True/></Node>";
        String plain = tree("double", "nullPrediction", "returnNullPrediction", node);
        String replaced = plain.replace("<MiningField name=\"x\"/>", "<MiningField name=\"x\" missingValueReplacement=\"2\"/>");
        assertEquals("no prediction", score(plain, null));
        assertEquals(1.0, score(replaced, null));
        assertEquals(1.0, score(replaced, Double.NaN));
        assertEquals(4.0, score(replaced.replace("value=\"3\"", "value=\"1\""), null));
        assertEquals(2.0, score(replaced.replace("value=\"3\"", "value=\"1\"").replace("5 6", "2 6"), null));
        assertEquals(4.0, score(replaced, 3.0));
        assertEquals(2.0, score(replaced, 6.0));
    }

    @Test
    void aReplacedValueThatADerivedStepMakesMissingTakesTheMissingValuePath() {
        // x is replaced when missing, but NormContinuous makes an outlier missing again: the test for it must stay
        String node = "<Node score=\"1\"><SimplePredicate field=\"n\" operator=\"lessThan\" value=\"0.5\"/></Node>"
                + "<Node score=\"2\"><True/></Node>";
        String doc = tree("double", "nullPrediction", "returnNullPrediction", node)
                .replace("<MiningField name=\"x\"/>", "<MiningField name=\"x\" missingValueReplacement=\"2\"/>")
                .replace("</MiningSchema>", "</MiningSchema><LocalTransformations><DerivedField name=\"n\" "
                        + "optype=\"continuous\" dataType=\"double\"><NormContinuous field=\"x\" outliers=\"asMissingValues\">"
                        + "<LinearNorm orig=\"0\" norm=\"0\"/><LinearNorm orig=\"10\" norm=\"1\"/></NormContinuous>"
                        + "</DerivedField></LocalTransformations>");
        assertEquals(1.0, score(doc, null));
        assertEquals(1.0, score(doc, 2.0));
        assertEquals(2.0, score(doc, 8.0));
        assertEquals("no prediction", score(doc, 20.0));
    }

    @Test
    void noTrueChildReturnsTheLastPredictionOrNothing() {
        String node = "<Node score=\"1\"><SimplePredicate field=\"x\" operator=\"greaterThan\" value=\"3\"/></Node>";
        assertEquals(9.0, score(tree("double", "none", "returnLastPrediction", node), 1.0));
        assertEquals("no prediction", score(tree("double", "none", "returnNullPrediction", node), 1.0));
    }

    @Test
    void surrogateTakesTheFirstKnownPredicate() {
        String node = "<Node score=\"1\"><CompoundPredicate booleanOperator=\"surrogate\">"
                + "<SimplePredicate field=\"x\" operator=\"lessThan\" value=\"3\"/>"
                + "<SimplePredicate field=\"z\" operator=\"greaterThan\" value=\"0\"/></CompoundPredicate></Node>"
                + "<Node score=\"2\"><True/></Node>";
        String doc = twoFields(tree("double", "nullPrediction", "returnNullPrediction", node));
        assertEquals(1.0, score(doc, null, 1.0));
        assertEquals(2.0, score(doc, null, -1.0));
        assertEquals(2.0, score(doc, 5.0, 1.0));
        assertEquals("no prediction", score(doc, null, null));
    }

    @Test
    void andOrAreThreeValued() {
        String and = "<Node score=\"1\"><CompoundPredicate booleanOperator=\"and\">"
                + "<SimplePredicate field=\"x\" operator=\"lessThan\" value=\"3\"/>"
                + "<SimplePredicate field=\"z\" operator=\"greaterThan\" value=\"0\"/></CompoundPredicate></Node>"
                + "<Node score=\"2\"><True/></Node>";
        String doc = twoFields(tree("double", "nullPrediction", "returnNullPrediction", and));
        assertEquals(2.0, score(doc, null, -1.0), "unknown and false is false");
        assertEquals("no prediction", score(doc, null, 1.0), "unknown and true is unknown");
        String or = and.replace("\"and\"", "\"or\"");
        String doc2 = twoFields(tree("double", "nullPrediction", "returnNullPrediction", or));
        assertEquals(1.0, score(doc2, null, 1.0), "unknown or true is true");
        assertEquals("no prediction", score(doc2, null, -1.0), "unknown or false is unknown");
    }

    @Test
    void floatMathContextSumsLeftToRightInFloat() {
        String seg = "<Segment id=\"%d\"><True/><TreeModel functionName=\"regression\"%s><MiningSchema><MiningField name=\"x\"/>"
                + "</MiningSchema><Node score=\"%s\"><True/></Node></TreeModel></Segment>";
        String[] scores = {"1.0E8", "1", "-1.0E8"};
        for (boolean floats : new boolean[] {true, false}) {
            String context = floats ? " x-mathContext=\"float\"" : "";
            StringBuilder b = new StringBuilder(header("double", "double")).append("<MiningModel functionName=\"regression\"")
                    .append(context).append(">").append(schema()).append("<Segmentation multipleModelMethod=\"sum\">");
            for (int i = 0; i < 3; i++) {
                b.append(String.format(seg, i + 1, context, scores[i]));
            }
            b.append("</Segmentation></MiningModel></PMML>");
            assertEquals(floats ? 0.0 : 1.0, score(b.toString(), 1.0));
        }
    }

    @Test
    void averagedProbabilitiesBreakTiesByTheFirstCategory() {
        String tree = "<Segment id=\"%d\"><True/><TreeModel functionName=\"classification\"><MiningSchema><MiningField name=\"x\"/>"
                + "</MiningSchema><Node score=\"%s\"><True/><ScoreDistribution value=\"b\" recordCount=\"%s\"/>"
                + "<ScoreDistribution value=\"a\" recordCount=\"%s\"/></Node></TreeModel></Segment>";
        String doc = "<?xml version=\"1.0\"?><PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + "<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/><Value value=\"b\"/></DataField>"
                + "<DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
                + "<MiningModel functionName=\"classification\">" + schema() + "<Segmentation multipleModelMethod=\"average\">"
                + String.format(tree, 1, "b", "3", "1") + String.format(tree, 2, "a", "1", "3")
                + "</Segmentation></MiningModel></PMML>";
        Prediction p = (Prediction) EngineParity.both(doc, Map.of("x", 1.0));
        assertEquals("b", p.label(), "0.5 each: the first category of the distributions wins");
        assertEquals(0.5, p.probability("a"));
    }

    @Test
    void integerFieldIsOrderedAsADoubleAgainstAThresholdThatIsNoInteger() {
        String node = "<Node score=\"1\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"2.5\"/></Node>"
                + "<Node score=\"2\"><SimplePredicate field=\"x\" operator=\"equal\" value=\"3\"/></Node>";
        String doc = tree("integer", "none", "returnLastPrediction", node);
        assertEquals(1.0, scoreLong(doc, 2L));
        assertEquals(2.0, scoreLong(doc, 3L));
        assertEquals(9.0, scoreLong(doc, 4L));
    }

    @Test
    void aCallWithAWholeNumberBeyondJpmmlsIntegerIsLeftToJpmml() {
        String node = "<Node score=\"1\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"2.5\"/></Node>";
        String doc = tree("integer", "none", "returnLastPrediction", node);
        Object huge = scoreLong(doc, 3_000_000_000L);
        assertEquals("no prediction", huge, "JPMML rejects a Long beyond int; the engine leaves such a call to it");
    }

    private static Object scoreLong(String doc, long x) {
        Object outcome = EngineParity.both(doc, Map.of("x", x));
        return outcome instanceof Prediction p ? (Object) p.value() : outcome;
    }

    @Test
    void regressionModelChainInFloatAppliesJpmmlsFloatExpToTheSegmentsFloatValue() {
        // XGBoost's count:poisson: a float sum rescaled by its intercept, then exp as FloatValue computes it
        String doc = regressionChain("float", "float", "float", "float", "exp", 1, "9.5",
                "<Targets><Target rescaleConstant=\"0.5\"/></Targets>", "<RegressionTable intercept=\"0.0\">"
                        + "<NumericPredictor name=\"v\" coefficient=\"1.0\"/></RegressionTable>");
        float expected = (float) Math.pow(2.7182817d, 9.5f + 0.5f);
        assertTrue(expected != (float) Math.exp(10), "the rule is visible: Math.exp rounds otherwise");
        assertEquals((double) expected, score(doc, 1.0));
    }

    @Test
    void regressionModelChainInDoubleAddsEachCoefficientTimesTheValueThenTheInterceptThenNormalizes() {
        String table = "<RegressionTable intercept=\"0.25\"><NumericPredictor name=\"v\" coefficient=\"0.5\"/>"
                + "<NumericPredictor name=\"v\" coefficient=\"-0.125\"/></RegressionTable>";
        double v = 0d + 0.5 * 1.75 + -0.125 * 1.75 + 0.25;
        assertEquals(1d / (1d + Math.exp(-v)), score(regressionChain("double", null, "double", null, "logit", 1, "1.75", "", table), 1.0));
        assertEquals(1d / (1d + Math.exp(-v)), score(regressionChain("double", null, "double", null, "softmax", 1, "1.75", "", table), 1.0),
                "softmax on one table is logit");
        assertEquals(Math.exp(v), score(regressionChain("double", null, "double", null, "exp", 1, "1.75", "", table), 1.0));
        assertEquals(v, score(regressionChain("double", null, "double", null, "none", 1, "1.75", "", table), 1.0));
        assertEquals(1d - Math.exp(-Math.exp(v)), score(regressionChain("double", null, "double", null, "cloglog", 1, "1.75", "", table), 1.0));
        assertEquals(Math.exp(-Math.exp(-v)), score(regressionChain("double", null, "double", null, "loglog", 1, "1.75", "", table), 1.0));
        assertEquals(0.5d + (1d / Math.PI) * Math.atan(v), score(regressionChain("double", null, "double", null, "cauchit", 1, "1.75", "", table), 1.0));
    }

    @Test
    void regressionModelChainInFloatNarrowsTheCoefficientsAndRoundsEachStepToFloat() {
        String table = "<RegressionTable intercept=\"0.1\"><NumericPredictor name=\"v\" coefficient=\"0.3\"/></RegressionTable>";
        float v = 0f + 0.3f * 1.7f + 0.1f;
        assertEquals((double) (1f / (1f + (float) Math.pow(2.7182817d, -v))),
                score(regressionChain("float", "float", "float", "float", "logit", 1, "1.7", "", table), 1.0));
        assertEquals((double) (0.5f + (1f / (float) 3.1415927d) * (float) Math.atan(v)),
                score(regressionChain("float", "float", "float", "float", "cauchit", 1, "1.7", "", table), 1.0));
    }

    @Test
    void regressionModelChainCastsItsValueToTheTargetsType() {
        String table = "<RegressionTable intercept=\"0.0\"><NumericPredictor name=\"v\" coefficient=\"1.0\"/></RegressionTable>";
        assertEquals((double) (float) Math.exp(0.3), score(regressionChain("float", null, "double", null, "exp", 1, "0.3", "", table), 1.0));
        // a float segment's value read by a double RegressionModel: the float widened
        assertEquals(Math.exp((double) 0.3f), score(regressionChain("double", "float", "double", null, "exp", 1, "0.3", "", table), 1.0));
    }

    @Test
    void regressionModelChainHasNoValueWhenItsFirstSegmentHasNone() {
        String table = "<RegressionTable intercept=\"2.0\"/>";
        assertEquals("no prediction", score(regressionChain("double", null, "double", null, "exp", 1, "0.3", "", table), null));
        assertEquals(Math.exp(2.0), score(regressionChain("double", null, "double", null, "exp", 1, "0.3", "", table), 1.0));
    }

    @Test
    void regressionModelChainsJpmmlTreatsDifferentlyAreLeftToJpmmlWithTheReason() {
        String table = "<RegressionTable intercept=\"0.0\"><NumericPredictor name=\"v\" coefficient=\"1.0\"/></RegressionTable>";
        assertEquals(TreeEngines.runtime("PMML normalizationMethod probit of a regression not covered"),
                engine(regressionChain("double", null, "double", null, "probit", 1, "0.3", "", table)));
        assertTrue(engine(regressionChain("double", null, "double", null, "exp", 1, "0.3", "", table)
                .replace("missingPredictionTreatment=\"returnMissing\"", "")).contains("missingPredictionTreatment continue"));
        assertTrue(engine(regressionChain("double", null, "double", null, "exp", 1, "0.3", "", table)
                .replace("<Segmentation multipleModelMethod=\"modelChain\"", "<Targets><Target rescaleFactor=\"2\"/></Targets>"
                        + "<Segmentation multipleModelMethod=\"modelChain\"")).contains("Targets on a regression modelChain"));
    }

    private static String engine(String doc) {
        try (Scorer scorer = Scorer.load(doc.getBytes(StandardCharsets.UTF_8))) {
            return scorer.info().metadata().get(TreeEngines.METADATA_KEY);
        }
    }

    /**
     * A regression modelChain as the converters write it: a sum of one tree (score {@code score} while x &lt; 100,
     * no prediction for a missing x) with the output v, then a RegressionModel over v.
     */
    private static String regressionChain(String targetType, String sumContext, String outputType, String regressionContext,
                                          String method, int trees, String score, String targets, String table) {
        String sum = sumContext == null ? "" : " x-mathContext=\"" + sumContext + "\"";
        StringBuilder b = new StringBuilder(header("double", targetType)).append("<MiningModel functionName=\"regression\">")
                .append(schema()).append("<Segmentation multipleModelMethod=\"modelChain\" missingPredictionTreatment=\"returnMissing\">")
                .append("<Segment id=\"1\"><True/><MiningModel functionName=\"regression\"").append(sum).append(">")
                .append("<MiningSchema><MiningField name=\"x\"/></MiningSchema><Output><OutputField name=\"v\" optype=\"continuous\" ")
                .append("dataType=\"").append(outputType).append("\" isFinalResult=\"false\"/></Output>").append(targets)
                .append("<Segmentation multipleModelMethod=\"sum\">");
        for (int t = 0; t < trees; t++) {
            b.append("<Segment id=\"t").append(t).append("\"><True/><TreeModel functionName=\"regression\" ")
                    .append("missingValueStrategy=\"nullPrediction\"").append(sum).append("><MiningSchema><MiningField name=\"x\"/>")
                    .append("</MiningSchema><Node score=\"0\"><True/><Node score=\"").append(score).append("\">")
                    .append("<SimplePredicate field=\"x\" operator=\"lessThan\" value=\"100\"/></Node></Node></TreeModel></Segment>");
        }
        return b.append("</Segmentation></MiningModel></Segment><Segment id=\"2\"><True/><RegressionModel functionName=\"regression\"")
                .append(regressionContext == null ? "" : " x-mathContext=\"" + regressionContext + "\"")
                .append(" normalizationMethod=\"").append(method).append("\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>")
                .append("<MiningField name=\"v\"/></MiningSchema>").append(table)
                .append("</RegressionModel></Segment></Segmentation></MiningModel></PMML>").toString();
    }

    private static String header(String fieldType, String targetType) {
        return "<?xml version=\"1.0\"?><PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + "<DataField name=\"y\" optype=\"continuous\" dataType=\"" + targetType + "\"/>"
                + "<DataField name=\"x\" optype=\"continuous\" dataType=\"" + fieldType + "\"/></DataDictionary>";
    }

    private static String schema() {
        return "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\"/></MiningSchema>";
    }

    /** A regression TreeModel whose root (score 9) has the given children. */
    private static String tree(String fieldType, String missing, String noTrueChild, String children) {
        return header(fieldType, "double") + "<TreeModel functionName=\"regression\" missingValueStrategy=\"" + missing
                + "\" noTrueChildStrategy=\"" + noTrueChild + "\">" + schema() + "<Node score=\"9\"><True/>" + children
                + "</Node></TreeModel></PMML>";
    }

    private static String twoFields(String doc) {
        return doc.replace("</DataDictionary>", "<DataField name=\"z\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>")
                .replace("<MiningField name=\"x\"/>", "<MiningField name=\"x\"/><MiningField name=\"z\"/>");
    }

    private static Object score(String doc, Double x) {
        Map<String, Object> row = new HashMap<>();
        if (x != null) {
            row.put("x", x);
        }
        Object outcome = EngineParity.both(doc, row);
        return outcome instanceof Prediction p ? (Object) p.value() : outcome;
    }

    private static Object score(String doc, Double x, Double z) {
        Map<String, Object> row = new HashMap<>();
        if (x != null) {
            row.put("x", x);
        }
        if (z != null) {
            row.put("z", z);
        }
        Object outcome = EngineParity.both(doc, row);
        return outcome instanceof Prediction p ? (Object) p.value() : outcome;
    }
}
