package dev.handoff.pmml.exports;

import dev.handoff.Prediction;
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
 * The markup of real converters that the compiled tree engine covers because {@link RealExportParityTest} met it,
 * pinned on small hand-written documents (so that it is tested where the trainers' natives do not run), with the
 * neighbouring markup it still leaves to JPMML.
 */
class ConverterMarkupCoverageTest {

    /** JPMML-LightGBM: every continuous field has an Interval of the training data, and invalidValueTreatment asIs. */
    @Test
    void intervalsUnderAsIsAreServedAndAValueOutsideThemIsScoredAsItIs() {
        String doc = intervalTree("invalidValueTreatment=\"asIs\"");
        assertTrue(engineLine(doc, true).startsWith("compiled trees"), engineLine(doc, true));
        // inside [0, 5], beyond it on both sides, at its margins and one ulp outside them, missing
        List<Double> xs = List.of(1.0, 4.0, 0.0, 5.0, Math.nextDown(0.0), Math.nextUp(5.0), 7.0, 9.0, -3.0, 1e300,
                -1e300, -0.0);
        double[] expected = {1, 2, 1, 2, 1, 2, 2, 3, 1, 3, 1, 1};
        for (int i = 0; i < xs.size(); i++) {
            assertEquals(expected[i], score(doc, true, xs.get(i)).value(), "x=" + xs.get(i));
            assertEquals(score(doc, false, xs.get(i)).toString(), score(doc, true, xs.get(i)).toString(), "x=" + xs.get(i));
        }
        assertEquals(score(doc, false, null).toString(), score(doc, true, null).toString());
    }

    @Test
    void intervalsUnderReturnInvalidOrAsMissingStayWithJpmml() {
        for (String treatment : new String[] {"", "invalidValueTreatment=\"returnInvalid\"", "invalidValueTreatment=\"asMissing\""}) {
            assertEquals(TreeEngines.runtime("PMML field x with Intervals not covered"),
                    engineLine(intervalTree(treatment), true), treatment);
        }
    }

    /** JPMML-XGBoost and JPMML-LightGBM: a categorical feature is an integer field listing its categories as Values. */
    @Test
    void integerCategoriesListedAsValuesAreServedWithEachInvalidValueTreatment() {
        // x in {1, 4}: 1; other listed categories: 2; missing: the default child (3)
        Map<String, double[]> expected = Map.of(
                "", new double[] {1, 2, 3, Double.NaN}, // returnInvalid (the default): an unlisted category fails the row
                "invalidValueTreatment=\"returnInvalid\"", new double[] {1, 2, 3, Double.NaN},
                "invalidValueTreatment=\"asMissing\"", new double[] {1, 2, 3, 3},
                "invalidValueTreatment=\"asIs\"", new double[] {1, 2, 3, 2});
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            String doc = categoryTree(e.getKey());
            assertTrue(engineLine(doc, true).startsWith("compiled trees"), e.getKey() + ": " + engineLine(doc, true));
            Object[] xs = {4, 0, null, 9};
            for (int i = 0; i < xs.length; i++) {
                Prediction engine = score(doc, true, xs[i]);
                Prediction jpmml = score(doc, false, xs[i]);
                assertEquals(jpmml.toString(), engine.toString(), e.getKey() + " x=" + xs[i]);
                if (Double.isNaN(e.getValue()[i])) {
                    assertTrue(engine.failed(), engine.toString());
                } else {
                    assertEquals(e.getValue()[i], engine.value(), e.getKey() + " x=" + xs[i]);
                }
            }
        }
    }

    @Test
    void listedValuesOnAFloatingPointFieldStayWithJpmml() {
        String doc = categoryTree("").replace("dataType=\"integer\"", "dataType=\"double\"");
        assertEquals(TreeEngines.runtime("PMML field x with listed Values not covered"), engineLine(doc, true));
    }

    /** JPMML-XGBoost: a classifier's probabilities are float OutputFields of the float RegressionModel ending the chain. */
    @Test
    void floatProbabilityOutputsOfAFloatRegressionModelAreServedBitForBit() {
        String doc = xgboostLikeChain("float", "float");
        assertTrue(engineLine(doc, true).startsWith("compiled trees"), engineLine(doc, true));
        for (double x : new double[] {-1, 0.5, Math.nextDown(0.5), Math.nextUp(0.5), 3, 1e300}) {
            Prediction engine = score(doc, true, x);
            Prediction jpmml = score(doc, false, x);
            assertEquals(jpmml.toString(), engine.toString(), "x=" + x);
            assertEquals(jpmml.probabilities(), engine.probabilities(), "x=" + x);
            for (String output : List.of("probability(0)", "probability(1)")) {
                assertEquals(jpmml.output(output), engine.output(output), output);
                assertEquals(jpmml.output(output).getClass(), engine.output(output).getClass(), output);
            }
        }
        // the value is JPMML's float logit: 1 / (1 + exp(-(0.25f + 0.5f)))
        assertEquals((double) (1f / (1f + (float) Math.pow(2.7182817f, -0.75f))), score(doc, true, -1.0).probability("1"));
    }

    /** JPMML finds no target value when the RegressionModel ending the chain lacks the target MiningField. */
    @Test
    void aChainWhoseRegressionModelLacksTheTargetStaysWithJpmml() {
        for (String context : new String[] {"double", "float"}) {
            String doc = xgboostLikeChain(context, context).replace(TARGET + "<MiningField name=\"xgbValue\"/>",
                    "<MiningField name=\"xgbValue\"/>");
            assertEquals(TreeEngines.runtime("PMML RegressionModel ending a modelChain without the target MiningField not covered"),
                    engineLine(doc, true));
            assertTrue(score(doc, true, -1.0).failed());
        }
    }

    @Test
    void floatProbabilityOutputsOfADoubleRegressionModelStayWithJpmml() {
        assertEquals(TreeEngines.runtime("PMML OutputField probability(0) (probability) not covered"),
                engineLine(xgboostLikeChain("double", "float"), true));
    }

    private static String intervalTree(String treatment) {
        return "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + "<DataField name=\"x\" optype=\"continuous\" dataType=\"double\">"
                + "<Interval closure=\"closedClosed\" leftMargin=\"0\" rightMargin=\"5\"/></DataField>"
                + "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
                + "<TreeModel functionName=\"regression\" missingValueStrategy=\"defaultChild\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\" " + treatment + "/>"
                + "</MiningSchema><Node score=\"0\" defaultChild=\"a\"><True/>"
                + "<Node id=\"a\" score=\"1\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"3\"/></Node>"
                + "<Node id=\"b\" score=\"2\"><SimplePredicate field=\"x\" operator=\"lessOrEqual\" value=\"7\"/></Node>"
                + "<Node id=\"c\" score=\"3\"><True/></Node></Node></TreeModel></PMML>";
    }

    private static String categoryTree(String treatment) {
        return "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + "<DataField name=\"x\" optype=\"categorical\" dataType=\"integer\"><Value value=\"0\"/><Value value=\"1\"/>"
                + "<Value value=\"2\"/><Value value=\"3\"/><Value value=\"4\"/></DataField>"
                + "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
                + "<TreeModel functionName=\"regression\" missingValueStrategy=\"defaultChild\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\" " + treatment + "/>"
                + "</MiningSchema><Node score=\"0\" defaultChild=\"c\"><True/>"
                + "<Node id=\"a\" score=\"1\"><SimpleSetPredicate field=\"x\" booleanOperator=\"isIn\"><Array type=\"int\">1 4</Array>"
                + "</SimpleSetPredicate></Node>"
                + "<Node id=\"b\" score=\"2\"><SimpleSetPredicate field=\"x\" booleanOperator=\"isNotIn\"><Array type=\"int\">1 4</Array>"
                + "</SimpleSetPredicate></Node>"
                + "<Node id=\"c\" score=\"3\"><True/></Node></Node></TreeModel></PMML>";
    }

    /** The shape of JPMML-XGBoost's binary:logistic document: sum of trees into xgbValue, then a logit RegressionModel. */
    private static String xgboostLikeChain(String regressionContext, String outputType) {
        String tree = "<TreeModel functionName=\"regression\" noTrueChildStrategy=\"returnLastPrediction\" x-mathContext=\"float\">"
                + "<MiningSchema><MiningField name=\"x\"/></MiningSchema><Node score=\"0\"><True/>"
                + "<Node score=\"0.25\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"0.5\"/></Node>"
                + "<Node score=\"-0.5\"><True/></Node></Node></TreeModel>";
        return "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + "<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"0\"/><Value value=\"1\"/></DataField>"
                + "<DataField name=\"x\" optype=\"continuous\" dataType=\"float\"><Value value=\"NaN\" property=\"missing\"/></DataField>"
                + "</DataDictionary><MiningModel functionName=\"classification\" x-mathContext=\"float\"><MiningSchema>"
                + "<MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\"/></MiningSchema>"
                + "<Segmentation multipleModelMethod=\"modelChain\" missingPredictionTreatment=\"returnMissing\">"
                + "<Segment id=\"1\"><True/><MiningModel functionName=\"regression\" x-mathContext=\"float\">"
                + "<MiningSchema><MiningField name=\"x\"/></MiningSchema><Output>"
                + "<OutputField name=\"xgbValue\" optype=\"continuous\" dataType=\"float\" isFinalResult=\"false\"/></Output>"
                + "<Targets><Target rescaleConstant=\"0.5\"/></Targets>"
                + "<Segmentation multipleModelMethod=\"sum\" missingPredictionTreatment=\"returnMissing\">"
                + "<Segment id=\"1\"><True/>" + tree + "</Segment></Segmentation></MiningModel></Segment>"
                + "<Segment id=\"2\"><True/><RegressionModel functionName=\"classification\" normalizationMethod=\"logit\""
                + " x-mathContext=\"" + regressionContext + "\"><MiningSchema>" + TARGET + "<MiningField name=\"xgbValue\"/></MiningSchema><Output>"
                + "<OutputField name=\"probability(0)\" optype=\"continuous\" dataType=\"" + outputType + "\" feature=\"probability\" value=\"0\"/>"
                + "<OutputField name=\"probability(1)\" optype=\"continuous\" dataType=\"" + outputType + "\" feature=\"probability\" value=\"1\"/>"
                + "</Output><RegressionTable intercept=\"0.0\" targetCategory=\"1\"><NumericPredictor name=\"xgbValue\" coefficient=\"1.0\"/>"
                + "</RegressionTable><RegressionTable intercept=\"0.0\" targetCategory=\"0\"/></RegressionModel></Segment>"
                + "</Segmentation></MiningModel></PMML>";
    }

    private static final String TARGET = "<MiningField name=\"y\" usageType=\"target\"/>";

    private static String engineLine(String doc, boolean compiled) {
        try (Scorer scorer = Scorer.load(doc.getBytes(StandardCharsets.UTF_8),
                ScorerOptions.builder().compiledTrees(compiled).build())) {
            return scorer.info().metadata().get(TreeEngines.METADATA_KEY);
        }
    }

    private static Prediction score(String doc, boolean compiled, Object x) {
        try (Scorer scorer = Scorer.load(doc.getBytes(StandardCharsets.UTF_8),
                ScorerOptions.builder().compiledTrees(compiled).build())) {
            Map<String, Object> row = new HashMap<>();
            if (x != null) {
                row.put("x", x);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            rows.add(row);
            return scorer.scoreAll(rows).get(0);
        }
    }
}
