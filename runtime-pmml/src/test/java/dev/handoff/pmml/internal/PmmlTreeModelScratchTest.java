package dev.handoff.pmml.internal;

import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.spi.ScorerProvider.ModelSource;
import dev.handoff.spi.ScoringEngine;

import org.dmg.pmml.PMML;





import org.junit.jupiter.api.Test;



import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-thread scratch of the compiled tree engine's PMML heads lives in the model's per-thread scratch, never in a
 * {@link ThreadLocal}: a {@code ThreadLocal}'s value stays reachable from every thread that ever scored the model (a
 * service's pooled threads, for months) until that thread happens to clean its map, long after the model is closed.
 */
class PmmlTreeModelScratchTest {

    /** Every head that needs scratch: a vote, the aggregated forests, a median and weightedMedian regression, a chain. */
    private static final Map<String, String> HEADS = Map.of(
            "majorityVote", voting("majorityVote"),
            "weightedMajorityVote", voting("weightedMajorityVote"),
            "median classifier", voting("median"),
            "max classifier", voting("max"),
            "median regression", regression("median"),
            "weightedMedian regression", regression("weightedMedian"),
            "modelChain classifier", chain());

    @Test
    void aLoadedTreeModelHoldsNoThreadLocal() {
        Map<String, List<String>> found = new TreeMap<>();
        for (Map.Entry<String, String> e : HEADS.entrySet()) {
            try (ScoringEngine engine = load(e.getValue())) {
                assertTrue(engine instanceof PmmlTreeModel, e.getKey() + " is served by the compiled tree engine: " + engine);
                List<String> fields = ModelGraph.fieldsHolding(engine, ThreadLocal.class);
                if (!fields.isEmpty()) {
                    found.put(e.getKey(), fields);
                }
            }
        }
        assertEquals(Map.of(), found, "thread-locals in the models");
    }

    @Test
    void aHeadsScratchIsSizedPerThreadAndNotKeptByTheHead() {
        PmmlTreePlan plan = PmmlTreePlans.read(voting("median"));
        PmmlClassificationHead head = plan.classification;
        PmmlHeadScratch one = head.newScratch();
        PmmlHeadScratch other = head.newScratch();
        assertNotSame(one.doubles, other.doubles, "each thread its own arrays");
        assertTrue(one.doubles.length >= 2 + 3 && one.ints.length >= 3, "room for the classes' medians and the trees");
        double[] ordinals = {1, 2, 3}; // each one-leaf tree's only result (ordinals count the leaves of all trees)
        double[] p = new double[2];
        int c = head.classify(ordinals, 0, p, 0, one);
        // trees' probabilities of a: 0.9, 0.2, 0.6: median 0.6, of b 0.4: a wins with the third tree's distribution
        assertEquals(0, c);
        assertEquals(0.6, p[0], 0.0);
        WeakReference<PmmlHeadScratch> used = new WeakReference<>(one);
        one = null;
        for (int i = 0; i < 50 && used.get() != null; i++) {
            System.gc();
        }
        assertNull(used.get(), "the scratch a thread used goes with it: the head kept nothing of it");
        assertEquals(0, head.classify(ordinals, 0, p, 0, other));
    }


    private static ScoringEngine load(String doc) {
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        ScoringEngine engine = new PmmlScorerProvider().load(new ModelSource("<test>", bytes, "0"),
                ScorerOptions.builder().compiledTrees(true).build());
        assertTrue(engine.info().metadata().get(TreeEngines.METADATA_KEY).startsWith("compiled trees"), engine.toString());
        return engine;
    }

    private static String header(String target) {
        return "<?xml version=\"1.0\"?><PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + target + "<DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>";
    }

    /** Three one-leaf classification trees over a and b, with probabilities of a 0.9, 0.2, 0.6. */
    static String voting(String method) {
        String[] a = {"0.9", "0.2", "0.6"};
        StringBuilder b = new StringBuilder(header("<DataField name=\"y\" optype=\"categorical\" dataType=\"string\">"
                + "<Value value=\"a\"/><Value value=\"b\"/></DataField>"));
        b.append("<MiningModel functionName=\"classification\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>")
                .append("<MiningField name=\"x\"/></MiningSchema><Segmentation multipleModelMethod=\"").append(method)
                .append("\" missingPredictionTreatment=\"returnMissing\">");
        for (int i = 0; i < a.length; i++) {
            double pa = Double.parseDouble(a[i]);
            b.append("<Segment id=\"").append(i + 1).append("\" weight=\"").append(i + 1).append("\"><True/>")
                    .append("<TreeModel functionName=\"classification\"><MiningSchema><MiningField name=\"x\"/></MiningSchema>")
                    .append("<Node score=\"").append(pa >= 0.5 ? "a" : "b").append("\"><True/>")
                    .append("<ScoreDistribution value=\"a\" probability=\"").append(a[i]).append("\"/>")
                    .append("<ScoreDistribution value=\"b\" probability=\"").append(1 - pa).append("\"/>")
                    .append("</Node></TreeModel></Segment>");
        }
        return b.append("</Segmentation></MiningModel></PMML>").toString();
    }

    /** Three one-split regression trees aggregated by {@code method}. */
    static String regression(String method) {
        StringBuilder s = new StringBuilder(header("<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>"));
        s.append("<MiningModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>")
                .append("<MiningField name=\"x\"/></MiningSchema><Segmentation multipleModelMethod=\"").append(method).append("\">");
        for (int t = 0; t < 3; t++) {
            s.append("<Segment weight=\"").append(t + 1).append("\"><True/><TreeModel functionName=\"regression\">")
                    .append("<MiningSchema><MiningField name=\"x\"/></MiningSchema><Node score=\"0\"><True/>")
                    .append("<Node score=\"").append(t * 1.5).append("\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"")
                    .append(t).append("\"/></Node></Node></TreeModel></Segment>");
        }
        return s.append("</Segmentation></MiningModel></PMML>").toString();
    }

    /** A binary GBM as JPMML-SkLearn writes it: a sum of trees, then a logit RegressionModel. */
    static String chain() {
        StringBuilder s = new StringBuilder(header("<DataField name=\"y\" optype=\"categorical\" dataType=\"string\">"
                + "<Value value=\"a\"/><Value value=\"b\"/></DataField>"));
        s.append("<MiningModel functionName=\"classification\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>")
                .append("<MiningField name=\"x\"/></MiningSchema><Segmentation multipleModelMethod=\"modelChain\">")
                .append("<Segment id=\"1\"><True/><MiningModel functionName=\"regression\"><MiningSchema><MiningField name=\"x\"/>")
                .append("</MiningSchema><Output><OutputField name=\"decision\" optype=\"continuous\" dataType=\"double\" ")
                .append("isFinalResult=\"false\"/></Output><Segmentation multipleModelMethod=\"sum\">");
        for (int t = 0; t < 2; t++) {
            s.append("<Segment><True/><TreeModel functionName=\"regression\"><MiningSchema><MiningField name=\"x\"/></MiningSchema>")
                    .append("<Node score=\"-0.5\"><True/><Node score=\"").append(0.25 + t)
                    .append("\"><SimplePredicate field=\"x\" operator=\"lessThan\" value=\"").append(t)
                    .append("\"/></Node></Node></TreeModel></Segment>");
        }
        s.append("</Segmentation></MiningModel></Segment>")
                .append("<Segment id=\"2\"><True/><RegressionModel functionName=\"classification\" normalizationMethod=\"logit\">")
                .append("<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"decision\"/></MiningSchema>")
                .append("<RegressionTable intercept=\"0\" targetCategory=\"b\"><NumericPredictor name=\"decision\" coefficient=\"1\"/>")
                .append("</RegressionTable><RegressionTable intercept=\"0\" targetCategory=\"a\"/></RegressionModel></Segment>");
        return s.append("</Segmentation></MiningModel></PMML>").toString();
    }
}
