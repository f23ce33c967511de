package dev.handoff.pmml.internal;

import dev.handoff.InvalidInputException;
import dev.handoff.Prediction;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.TreeEngines;

import org.dmg.pmml.PMML;





import org.junit.jupiter.api.Test;


import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PmmlSumFusion}: which heads the engine sums itself (a double sum or average of trees with finite scores, an
 * averaged forest with finite probabilities) and which keep a result ordinal per tree (float mathContext, a NaN score,
 * a lone tree, a vote); and that each gives JPMML's bits, a no-prediction tree and a Target rescale included.
 */
class PmmlSumFusionTest {
    private static final String[] SCORES = {"0.1", "-0.2", "3e-17", "0.30000000000000004", "-0.7", "1e16"};

    @Test
    void aDoubleSumOfFiniteScoresIsOneRunningSumAndGivesJpmmlsBits() {
        for (String method : new String[] {"sum", "average"}) {
            String doc = regression(method, "double", "", SCORES);
            assertEquals(1, PmmlTreePlans.read(doc).ensemble.targetCount(), method);
            agree(doc);
        }
    }

    @Test
    void aTargetRescaleOfAFusedSumGivesJpmmlsBits() {
        String target = "<Targets><Target field=\"y\" rescaleFactor=\"0.3\" rescaleConstant=\"0.1\" min=\"-1\" max=\"2\"/></Targets>";
        String doc = regression("sum", "double", target, SCORES);
        assertEquals(1, PmmlTreePlans.read(doc).ensemble.targetCount());
        agree(doc);
    }

    @Test
    void floatMathContextAndNaNScoresKeepOneResultPerTree() {
        assertEquals(SCORES.length, PmmlTreePlans.read(regression("sum", "float", "", SCORES)).ensemble.targetCount());
        agree(regression("sum", "float", "", SCORES));
        String[] withNaN = SCORES.clone();
        withNaN[2] = "NaN";
        assertEquals(SCORES.length, PmmlTreePlans.read(regression("sum", "double", "", withNaN)).ensemble.targetCount());
        agree(regression("sum", "double", "", withNaN), 0); // a NaN score in every row: JPMML's value is NaN, no prediction
    }

    @Test
    void anAveragedForestIsOneRunningSumPerClassAndAVoteIsNot() {
        String averaged = forest("average");
        assertEquals(2, PmmlTreePlans.read(averaged).ensemble.targetCount());
        agree(averaged);
        String vote = forest("majorityVote");
        assertEquals(3, PmmlTreePlans.read(vote).ensemble.targetCount());
        agree(vote);
    }

    private static void agree(String doc) {
        agree(doc, 5);
    }

    /** Both engines on rows through every leaf, the no-prediction one (a missing x) included. */
    private static void agree(String doc, int predicted) {
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        try (Scorer compiled = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(true).build());
             Scorer jpmml = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(false).build())) {
            assertTrue(compiled.info().metadata().get(TreeEngines.METADATA_KEY).startsWith("compiled trees"));
            int rows = 0;
            for (Double x : new Double[] {null, -3d, 0d, 0.5, 1d, 2.5, 7d, Double.NaN}) {
                Map<String, Object> row = new HashMap<>();
                if (x != null) {
                    row.put("x", x);
                }
                String a = outcome(compiled, row);
                String b = outcome(jpmml, row);
                assertEquals(b, a, "x = " + x + "\n" + doc);
                rows += a.startsWith("no prediction") ? 0 : 1;
            }
            assertTrue(rows >= predicted, rows + " rows with a prediction");
        }
    }

    /** What a prediction holds, to the bit: value, label, probabilities. */
    private static String outcome(Scorer scorer, Map<String, Object> row) {
        try {
            Prediction p = scorer.score(row);
            StringBuilder s = new StringBuilder();
            if (p.hasValue()) {
                s.append("value ").append(Double.doubleToRawLongBits(p.value())).append(' ').append(p.value());
            }
            if (p.hasLabel()) {
                s.append(" label ").append(p.label());
            }
            if (p.hasProbabilities()) {
                p.probabilities().forEach((k, v) -> s.append(' ').append(k).append('=').append(Double.doubleToRawLongBits(v)));
            }
            return s.toString();
        } catch (InvalidInputException e) {
            return "no prediction " + e.getMessage();
        }
    }


    private static String header(String target) {
        return "<?xml version=\"1.0\"?><PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + target + "<DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>";
    }

    /**
     * A sum or average of trees, tree {@code t} giving {@code scores[t]} below {@code t} and the next score at and above;
     * a missing x matches no child (no prediction: the root has no score).
     */
    private static String regression(String method, String mathContext, String targets, String[] scores) {
        StringBuilder s = new StringBuilder(header("<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>"));
        s.append("<MiningModel functionName=\"regression\" x-mathContext=\"").append(mathContext).append("\">")
                .append("<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\"/></MiningSchema>")
                .append(targets).append("<Segmentation multipleModelMethod=\"").append(method).append("\">");
        for (int t = 0; t < scores.length; t++) {
            String other = scores[(t + 1) % scores.length];
            s.append("<Segment><True/><TreeModel functionName=\"regression\" x-mathContext=\"").append(mathContext)
                    .append("\" noTrueChildStrategy=\"returnNullPrediction\">")
                    .append("<MiningSchema><MiningField name=\"x\"/></MiningSchema><Node><True/>")
                    .append("<Node score=\"").append(scores[t]).append("\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"")
                    .append(t).append("\"/></Node>")
                    .append("<Node score=\"").append(other).append("\"><SimplePredicate field=\"x\" operator=\"greaterOrEqual\" value=\"")
                    .append(t).append("\"/></Node></Node></TreeModel></Segment>");
        }
        return s.append("</Segmentation></MiningModel></PMML>").toString();
    }

    /** Three classification trees over classes a and b, averaged or voting; a missing x matches no child. */
    private static String forest(String method) {
        StringBuilder s = new StringBuilder(header("<DataField name=\"y\" optype=\"categorical\" dataType=\"string\">"
                + "<Value value=\"a\"/><Value value=\"b\"/></DataField>"));
        s.append("<MiningModel functionName=\"classification\">")
                .append("<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\"/></MiningSchema>")
                .append("<Segmentation multipleModelMethod=\"").append(method).append("\" missingPredictionTreatment=\"returnMissing\">");
        double[][] counts = {{1, 2}, {3, 1}, {7, 3}, {1, 9}, {5, 5}, {2, 7}};
        for (int t = 0; t < 3; t++) {
            s.append("<Segment><True/><TreeModel functionName=\"classification\" noTrueChildStrategy=\"returnNullPrediction\">")
                    .append("<MiningSchema><MiningField name=\"x\" /><MiningField name=\"y\" usageType=\"target\"/></MiningSchema><Node><True/>");
            for (int side = 0; side < 2; side++) {
                double[] c = counts[2 * t + side];
                s.append("<Node score=\"").append(c[0] >= c[1] ? "a" : "b").append("\" recordCount=\"").append(c[0] + c[1]).append("\">")
                        .append("<SimplePredicate field=\"x\" operator=\"").append(side == 0 ? "lessThan" : "greaterOrEqual")
                        .append("\" value=\"").append(t + 0.5).append("\"/>")
                        .append("<ScoreDistribution value=\"a\" recordCount=\"").append(c[0]).append("\"/>")
                        .append("<ScoreDistribution value=\"b\" recordCount=\"").append(c[1]).append("\"/></Node>");
            }
            s.append("</Node></TreeModel></Segment>");
        }
        return s.append("</Segmentation></MiningModel></PMML>").toString();
    }
}
