package dev.handoff.pmml;

import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.TreeEngines;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JPMML-Evaluator's semantics of the DerivedFields and segmentation methods the compiled tree engine copies
 * ({@code NormContinuous}, {@code NormDiscrete}, {@code MapValues}, {@code weightedAverage}, {@code weightedSum},
 * {@code median}, {@code weightedMedian}, {@code max},
 * {@code weightedMajorityVote}), one rule per test, each on a small document scored by both engines: the expected
 * value pins the rule, the comparison pins the engine to JPMML, and the document must be served by the engine.
 *
 * <p>Most documents test one derived field {@code d} with a tree whose root (score 9) has two children:
 * {@code d} missing (score 0) and {@code d} equal to the value the rule gives (score 1); so a row scores 1 when the
 * rule holds, 0 when {@code d} is missing and 9 otherwise.
 */
class PmmlDerivedFieldRulesTest {
    private static final double MISSING = 0;
    private static final double HOLDS = 1;
    private static final double OTHER = 9;

    @Test
    void normContinuousInterpolatesInDoubleBetweenTheTwoPointsAroundTheValue() {
        String norm = "<NormContinuous field=\"x\"><LinearNorm orig=\"0\" norm=\"0\"/><LinearNorm orig=\"10\" norm=\"1\"/>"
                + "<LinearNorm orig=\"20\" norm=\"3\"/></NormContinuous>";
        assertEquals(HOLDS, score(doc("double", norm, "0.3"), 3.0));
        // 15: 1 + ((15 - 10) / (20 - 10)) * (3 - 1)
        assertEquals(HOLDS, score(doc("double", norm, Double.toString(1 + ((15d - 10) / (20 - 10)) * (3 - 1))), 15.0));
        assertEquals(HOLDS, score(doc("double", norm, "1"), 10.0));
    }

    @Test
    void normContinuousTakesTheLastPointAsInsideAndAnythingAboveItAsAnOutlier() {
        String norm = "<NormContinuous field=\"x\" outliers=\"asMissingValues\"><LinearNorm orig=\"0\" norm=\"0\"/>"
                + "<LinearNorm orig=\"10\" norm=\"1\"/></NormContinuous>";
        assertEquals(HOLDS, score(doc("double", norm, "1"), 10.0));
        assertEquals(MISSING, score(doc("double", norm, "1"), Math.nextUp(10.0)));
        assertEquals(MISSING, score(doc("double", norm, "1"), Math.nextDown(0.0)));
    }

    @Test
    void normContinuousOutliersAsIsExtrapolateTheOuterIntervalsAndAsExtremeValuesClampToTheirNorm() {
        String points = "<LinearNorm orig=\"0\" norm=\"0\"/><LinearNorm orig=\"10\" norm=\"1\"/><LinearNorm orig=\"20\" norm=\"3\"/>";
        String asIs = "<NormContinuous field=\"x\">" + points + "</NormContinuous>";
        assertEquals(HOLDS, score(doc("double", asIs, Double.toString(1 + ((30d - 10) / (20 - 10)) * (3 - 1))), 30.0));
        assertEquals(HOLDS, score(doc("double", asIs, "-0.5"), -5.0));
        assertEquals(HOLDS, score(doc("double", asIs, Double.toString(1 + ((1e300 - 10) / (20 - 10)) * (3 - 1))), 1e300));
        String extreme = "<NormContinuous field=\"x\" outliers=\"asExtremeValues\">" + points + "</NormContinuous>";
        assertEquals(HOLDS, score(doc("double", extreme, "3"), 30.0));
        assertEquals(HOLDS, score(doc("double", extreme, "0"), -1e300));
    }

    @Test
    void normContinuousMapsAMissingValueToMapMissingTo() {
        String norm = "<NormContinuous field=\"x\" mapMissingTo=\"-7\"><LinearNorm orig=\"0\" norm=\"0\"/>"
                + "<LinearNorm orig=\"10\" norm=\"1\"/></NormContinuous>";
        assertEquals(HOLDS, score(doc("double", norm, "-7"), null));
        assertEquals(MISSING, score(doc("double", norm.replace(" mapMissingTo=\"-7\"", ""), "-7"), null));
    }

    @Test
    void negativeZeroIsHeldAsZeroBeforeANormContinuousStartingAtZero() {
        // Double.compare(-0.0, 0.0) < 0 would make -0.0 an outlier; JPMML holds every zero as +0.0
        String norm = "<NormContinuous field=\"x\" outliers=\"asMissingValues\"><LinearNorm orig=\"0\" norm=\"5\"/>"
                + "<LinearNorm orig=\"10\" norm=\"6\"/></NormContinuous>";
        assertEquals(HOLDS, score(doc("double", norm, "5"), -0.0));
    }

    @Test
    void applyDividingAConstantByNegativeZeroDividesByPositiveZero() {
        String apply = "<Apply function=\"/\"><Constant dataType=\"double\">1</Constant><FieldRef field=\"x\"/></Apply>";
        assertEquals(HOLDS, score(doc("double", apply, "Infinity"), -0.0));
    }

    @Test
    void ifIsMissingReplacesAMissingValueWithTheConstantAndKeepsAnyOther() {
        String ifMissing = "<Apply function=\"if\"><Apply function=\"isMissing\"><FieldRef field=\"x\"/></Apply>"
                + "<Constant dataType=\"double\">7</Constant><FieldRef field=\"x\"/></Apply>";
        assertEquals(HOLDS, score(doc("double", ifMissing, "7"), null));
        assertEquals(HOLDS, score(doc("double", ifMissing, "3"), 3.0));
        String ifNotMissing = "<Apply function=\"if\"><Apply function=\"isNotMissing\"><FieldRef field=\"x\"/></Apply>"
                + "<FieldRef field=\"x\"/><Constant dataType=\"double\">7</Constant></Apply>";
        assertEquals(HOLDS, score(doc("double", ifNotMissing, "7"), null));
        assertEquals(HOLDS, score(doc("double", ifNotMissing, "-2.5"), -2.5));
    }

    @Test
    void missingFilterMakesAValueEqualToTheConstantMissingAndKeepsAnyOther() {
        // JPMML-XGBoost's missing=-999: if(and(isNotMissing(x), notEqual(x, -999)), x)
        String doc = doc("float", filter("float", "-999.0"), "3");
        assertEquals(MISSING, score(doc, -999.0));
        assertEquals(HOLDS, score(doc, 3.0));
        assertEquals(MISSING, score(doc, -999.00001), "narrowed to float, it is -999");
        assertEquals(OTHER, score(doc, (double) Math.nextUp(-999f)));
    }

    @Test
    void missingFilterComparesTheValueWithTheConstantInTheFieldsType() {
        // 0.1 narrowed to float is the constant 0.1f; in double 0.1f widened is not 0.1
        assertEquals(MISSING, score(doc("float", filter("float", "0.1"), "3"), 0.1));
        assertEquals(MISSING, score(doc("float", filter("float", "0.1"), "3"), (double) 0.1f));
        assertEquals(MISSING, score(doc("double", filter("double", "0.1"), "3"), 0.1));
        assertEquals(OTHER, score(doc("double", filter("double", "0.1"), "3"), (double) 0.1f));
    }

    @Test
    void missingFilterOfZeroCatchesBothZeros() {
        // JPMML holds the value and the constant with a positive zero
        assertEquals(MISSING, score(doc("double", filter("double", "-0.0"), "3"), 0.0));
        assertEquals(MISSING, score(doc("double", filter("double", "0"), "3"), -0.0));
    }

    @Test
    void missingFilterOnAMissingValueFailsTheRowInJpmmlAndTheEngineLeavesSuchACallToJpmml() {
        // notEqual takes no missing argument: JPMML fails the row when a tree reads the filtered field
        String doc = doc("float", filter("float", "-999.0"), "3");
        assertEquals("no prediction", score(doc, null));
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(Map.of("x", 3.0));
        rows.add(new HashMap<>());
        rows.add(Map.of("x", -999.0));
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        try (Scorer compiled = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(true).build());
             Scorer jpmml = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(false).build())) {
            Predictions a = compiled.scoreAll(rows);
            Predictions b = jpmml.scoreAll(rows);
            for (int r = 0; r < rows.size(); r++) {
                EngineParity.same(doc + " row " + r, List.of("y"), a.get(r), b.get(r));
            }
            assertEquals(HOLDS, a.get(0).value());
            assertTrue(a.get(1).failed() && a.get(1).failure().get().getMessage().contains("notEqual"), a.get(1).toString());
            assertEquals(MISSING, a.get(2).value());
        }
    }

    @Test
    void missingFilterWithAConstantOfAnotherTypeThanItsFieldIsLeftToJpmml() {
        // JPMML would compare a double x with a float constant through a conversion the engine does not copy
        String doc = doc("double", filter("float", "0.1"), "3");
        try (Scorer scorer = Scorer.load(doc.getBytes(StandardCharsets.UTF_8))) {
            assertEquals(TreeEngines.runtime("PMML notEqual with a Constant of another type than its field in DerivedField d not covered"),
                    scorer.info().metadata().get(TreeEngines.METADATA_KEY));
        }
    }

    /** JPMML-XGBoost's filter of the value {@code code} on x, the constant of {@code type}. */
    private static String filter(String type, String code) {
        return "<Apply function=\"if\"><Apply function=\"and\"><Apply function=\"isNotMissing\"><FieldRef field=\"x\"/></Apply>"
                + "<Apply function=\"notEqual\"><FieldRef field=\"x\"/><Constant dataType=\"" + type + "\">" + code + "</Constant>"
                + "</Apply></Apply><FieldRef field=\"x\"/></Apply>";
    }

    @Test
    void normDiscreteIsOneOnTheValueZeroOtherwiseAndMapMissingToOnAMissingString() {
        String norm = "<NormDiscrete field=\"s\" value=\"q\" mapMissingTo=\"5\"/>";
        assertEquals(HOLDS, scoreString(doc("double", norm, "1"), "q"));
        assertEquals(HOLDS, scoreString(doc("double", norm, "0"), "p"));
        assertEquals(HOLDS, scoreString(doc("double", norm, "0"), "unseen"), "an invalid value kept asIs is not the value");
        assertEquals(HOLDS, scoreString(doc("double", norm, "5"), null));
    }

    @Test
    void normDiscreteComparesANumberInTheFieldsType() {
        // 0.1f widened is 0.1 in float and not 0.1 in double
        String norm = "<NormDiscrete field=\"x\" value=\"0.1\"/>";
        assertEquals(HOLDS, score(doc("float", norm, "1"), (double) 0.1f));
        assertEquals(HOLDS, score(doc("double", norm, "0"), (double) 0.1f));
        assertEquals(HOLDS, score(doc("double", norm, "1"), 0.1));
    }

    @Test
    void mapValuesGivesTheDefaultValueForAKeyNotInTheTableAndMapMissingToForAMissingValue() {
        String map = "<MapValues outputColumn=\"out\" dataType=\"double\" defaultValue=\"-1\" mapMissingTo=\"-2\">"
                + "<FieldColumnPair field=\"x\" column=\"in\"/><InlineTable><row><in>1</in><out>10</out></row>"
                + "<row><in>2.5</in><out>20</out></row></InlineTable></MapValues>";
        assertEquals(HOLDS, score(doc("double", map, "10"), 1.0), "the key 1 parsed as a double matches 1.0");
        assertEquals(HOLDS, score(doc("double", map, "20"), 2.5));
        assertEquals(HOLDS, score(doc("double", map, "-1"), Math.nextUp(2.5)));
        assertEquals(HOLDS, score(doc("double", map, "-2"), null));
        assertEquals(MISSING, score(doc("double", map.replace(" defaultValue=\"-1\"", ""), "-1"), 3.0),
                "no defaultValue: an unmatched key is missing");
    }

    @Test
    void mapValuesMatchesAFloatFieldsValueAgainstKeysParsedAsFloat() {
        String map = "<MapValues outputColumn=\"out\" dataType=\"double\" defaultValue=\"-1\"><FieldColumnPair field=\"x\" column=\"in\"/>"
                + "<InlineTable><row><in>0.1</in><out>10</out></row></InlineTable></MapValues>";
        assertEquals(HOLDS, score(doc("float", map, "10"), (double) 0.1f));
        assertEquals(HOLDS, score(doc("double", map, "-1"), (double) 0.1f));
    }

    @Test
    void mapValuesFromStringToStringFeedsEqualityPredicates() {
        String map = "<MapValues outputColumn=\"out\" defaultValue=\"other\"><FieldColumnPair field=\"s\" column=\"in\"/><InlineTable>"
                + "<row><in>p</in><out>vowel</out></row><row><in>q</in><out>vowel</out></row></InlineTable></MapValues>";
        String doc = doc("string", map, "vowel");
        assertEquals(HOLDS, scoreString(doc, "q"));
        assertEquals(OTHER, scoreString(doc, "r"));
        assertEquals(MISSING, scoreString(doc, null));
    }

    @Test
    void weightedAverageDividesTheWeightedSumByTheSumOfWeights() {
        String doc = segmentation("weightedAverage", new String[] {"1", "3"}, new String[] {"1", "2"});
        assertEquals((1 + 3 * 2.0) / 4, score(doc, 1.0));
    }

    @Test
    void weightedSumAddsEachScoreTimesItsWeight() {
        assertEquals(0.5 * 1 + 3 * 2.0, score(segmentation("weightedSum", new String[] {"0.5", "3"}, new String[] {"1", "2"}), 1.0));
    }

    @Test
    void weightedMedianIsTheFirstSortedScoreWhoseRunningWeightReachesHalfTheWeights() {
        // sorted 1 (w 1), 2 (w 1), 5 (w 3): running 1, 2 < 2.5, 5 reaches it
        assertEquals(5.0, score(segmentation("weightedMedian", new String[] {"3", "1", "1"}, new String[] {"5", "1", "2"}), 1.0));
        // running weight equal to half the total stops there
        assertEquals(1.0, score(segmentation("weightedMedian", new String[] {"1", "1"}, new String[] {"7", "1"}), 1.0));
    }

    @Test
    void sumAndAverageIgnoreTheSegmentWeights() {
        assertEquals(3.0, score(segmentation("sum", new String[] {"2", "5"}, new String[] {"1", "2"}), 1.0));
        assertEquals(1.5, score(segmentation("average", new String[] {"2", "5"}, new String[] {"1", "2"}), 1.0));
    }

    @Test
    void medianIsTheMiddleScoreOrTheMeanOfTheTwoMiddleScores() {
        assertEquals(2.0, score(segmentation("median", new String[] {"1", "1", "1"}, new String[] {"5", "1", "2"}), 1.0));
        assertEquals(1.5 + 0.5 * (4.0 - 1.5),
                score(segmentation("median", new String[] {"1", "1", "1", "1"}, new String[] {"9", "1.5", "4", "0"}), 1.0));
    }

    @Test
    void weightedMajorityVoteCountsWeightsAndBreaksTiesByTheFirstClassToGetAVote() {
        Prediction p = (Prediction) EngineParity.both(voting("weightedMajorityVote", new String[] {"1", "1", "3"}, new String[] {"a", "a", "b"}),
                Map.of("x", 1.0));
        assertEquals("b", p.label());
        assertEquals(0.6, p.probability("b"));
        Prediction tie = (Prediction) EngineParity.both(voting("weightedMajorityVote", new String[] {"2", "1", "1"}, new String[] {"b", "a", "a"}),
                Map.of("x", 1.0));
        assertEquals("b", tie.label(), "2 votes each: b got the first");
    }

    @Test
    void weightedAverageOfProbabilitiesWeighsEachTreesDistribution() {
        Prediction p = (Prediction) EngineParity.both(voting("weightedAverage", new String[] {"3", "1"}, new String[] {"a", "b"}), Map.of("x", 1.0));
        assertEquals("a", p.label());
        assertEquals((3 * 0.75 + 0.25) / 4, p.probability("a"));
    }

    @Test
    void maxPicksTheClassWithTheHighestTreeProbabilityInTheTargetsOrderAndAveragesTheTreesThatGaveIt() {
        // a and b both reach 0.75; the target lists b first: b wins, and only the third tree gave b 0.75
        String[] classes = {"a", "a", "b"};
        String[] a = {"0.75", "0.75", "0.25"};
        Prediction p = (Prediction) EngineParity.both(voting("max", new String[] {"1", "1", "1"}, classes, a, true), Map.of("x", 1.0));
        assertEquals("b", p.label());
        assertEquals(0.25, p.probability("a"));
        Prediction q = (Prediction) EngineParity.both(voting("max", new String[] {"1", "1", "1"}, classes, a, false), Map.of("x", 1.0));
        assertEquals("a", q.label());
        assertEquals(0.75, q.probability("a"), "the two trees that gave a 0.75, averaged");
    }

    @Test
    void medianPicksTheClassWithTheHighestMedianAndTakesTheTreesClosestToIt() {
        String[] classes = {"a", "b", "a"};
        Prediction p = (Prediction) EngineParity.both(voting("median", new String[] {"1", "1", "1"}, classes, new String[] {"0.9", "0.2", "0.6"}, false),
                Map.of("x", 1.0));
        assertEquals("a", p.label());
        assertEquals(0.6, p.probability("a"), "the median tree's own distribution");
        // b: 0.875 0.75 0.5 0.125, median 0.625; the trees at 0.75 and 0.5 are equally close: both averaged
        Prediction even = (Prediction) EngineParity.both(voting("median", new String[] {"1", "1", "1", "1"}, new String[] {"a", "b", "a", "b"},
                new String[] {"0.125", "0.25", "0.5", "0.875"}, false), Map.of("x", 1.0));
        assertEquals("b", even.label());
        assertEquals(0.625, even.probability("b"));
    }

    /** A regression tree over x (of {@code type}) and s testing {@code d = expression} against {@code value}. */
    private static String doc(String type, String expression, String value) {
        boolean string = type.equals("string");
        return "<?xml version=\"1.0\"?><PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>"
                + "<DataField name=\"x\" optype=\"continuous\" dataType=\"" + (string ? "double" : type) + "\"/>"
                + "<DataField name=\"s\" optype=\"categorical\" dataType=\"string\"><Value value=\"p\"/><Value value=\"q\"/>"
                + "<Value value=\"r\"/></DataField></DataDictionary>"
                + "<TreeModel functionName=\"regression\" missingValueStrategy=\"none\" noTrueChildStrategy=\"returnLastPrediction\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\"/>"
                + "<MiningField name=\"s\" invalidValueTreatment=\"asIs\"/></MiningSchema>"
                + "<LocalTransformations><DerivedField name=\"d\" optype=\"" + (string ? "categorical" : "continuous")
                + "\" dataType=\"" + (string ? "string" : "double") + "\">" + expression + "</DerivedField></LocalTransformations>"
                + "<Node score=\"9\"><True/><Node score=\"0\"><SimplePredicate field=\"d\" operator=\"isMissing\"/></Node>"
                + "<Node score=\"1\"><SimplePredicate field=\"d\" operator=\"equal\" value=\"" + value + "\"/></Node>"
                + "</Node></TreeModel></PMML>";
    }

    /** A regression segmentation of one-leaf trees with the given weights and scores. */
    private static String segmentation(String method, String[] weights, String[] scores) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">"
                + "<Header/><DataDictionary><DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>"
                + "<DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
                + "<MiningModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
                + "<MiningField name=\"x\"/></MiningSchema><Segmentation multipleModelMethod=\"" + method + "\">");
        for (int i = 0; i < weights.length; i++) {
            b.append("<Segment id=\"").append(i + 1).append("\" weight=\"").append(weights[i]).append("\"><True/>")
                    .append("<TreeModel functionName=\"regression\"><MiningSchema><MiningField name=\"x\"/></MiningSchema>")
                    .append("<Node score=\"").append(scores[i]).append("\"><True/></Node></TreeModel></Segment>");
        }
        return b.append("</Segmentation></MiningModel></PMML>").toString();
    }

    /** A classification segmentation of one-leaf trees (a leaf of class c has probability 0.75 for c). */
    private static String voting(String method, String[] weights, String[] classes) {
        String[] a = new String[classes.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = classes[i].equals("a") ? "0.75" : "0.25";
        }
        return voting(method, weights, classes, a, false);
    }

    /**
     * A classification segmentation of one-leaf trees: tree i has score {@code classes[i]}, probability {@code a[i]}
     * for a and the rest for b (listed a, b); the target lists b before a when {@code bFirst}.
     */
    private static String voting(String method, String[] weights, String[] classes, String[] a, boolean bFirst) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">"
                + "<Header/><DataDictionary><DataField name=\"y\" optype=\"categorical\" dataType=\"string\">"
                + (bFirst ? "<Value value=\"b\"/><Value value=\"a\"/>" : "<Value value=\"a\"/><Value value=\"b\"/>")
                + "</DataField><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
                + "<MiningModel functionName=\"classification\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
                + "<MiningField name=\"x\"/></MiningSchema><Output>"
                + "<OutputField name=\"probability(a)\" optype=\"continuous\" dataType=\"double\" feature=\"probability\" value=\"a\"/>"
                + "<OutputField name=\"probability(b)\" optype=\"continuous\" dataType=\"double\" feature=\"probability\" value=\"b\"/>"
                + "</Output><Segmentation multipleModelMethod=\"" + method + "\" missingPredictionTreatment=\"returnMissing\">");
        for (int i = 0; i < weights.length; i++) {
            b.append("<Segment id=\"").append(i + 1).append("\" weight=\"").append(weights[i]).append("\"><True/>")
                    .append("<TreeModel functionName=\"classification\"><MiningSchema><MiningField name=\"x\"/></MiningSchema>")
                    .append("<Node score=\"").append(classes[i]).append("\"><True/>")
                    .append("<ScoreDistribution value=\"a\" probability=\"").append(a[i]).append("\"/>")
                    .append("<ScoreDistribution value=\"b\" probability=\"").append(1 - Double.parseDouble(a[i])).append("\"/>")
                    .append("</Node></TreeModel></Segment>");
        }
        return b.append("</Segmentation></MiningModel></PMML>").toString();
    }

    private static Object score(String doc, Double x) {
        Map<String, Object> row = new HashMap<>();
        if (x != null) {
            row.put("x", x);
        }
        return value(EngineParity.both(doc, row));
    }

    private static Object scoreString(String doc, String s) {
        Map<String, Object> row = new HashMap<>();
        row.put("x", 1.0);
        if (s != null) {
            row.put("s", s);
        }
        return value(EngineParity.both(doc, row));
    }

    private static Object value(Object outcome) {
        return outcome instanceof Prediction p ? (Object) p.value() : outcome;
    }
}
