package dev.handoff.pmml;

import dev.handoff.OutputField;
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
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random PMML tree ensembles, generated here, scored by the compiled tree engine and by JPMML-Evaluator on the same
 * random rows, agree bit for bit: random multiway structure, every comparison operator, {@code isMissing} and
 * {@code isNotMissing}, {@code and}/{@code or}/{@code surrogate} compound predicates, {@code True}/{@code False},
 * every missing-value strategy JPMML implements, both no-true-child strategies, float, double and integer fields, float and
 * double math contexts, {@code sum} and {@code average}, Target rescaling, averaged and voting forests, modelChains into a logit/none/softmax
 * RegressionModel (with a sigmoid transformedValue), regression modelChains into a one-table RegressionModel with a link
 * function, and rows at the thresholds, one ulp either
 * side (in float and double), missing, signed zeros, infinities.
 */
class RandomPmmlTreeParityTest {
    private static final double[] GRID = {-1.5, -1, -0.5, 0, 0.1, 0.25, 0.5, 1, 1.5, 3};
    private static final String[] OPS = {"equal", "notEqual", "lessThan", "lessOrEqual", "greaterThan", "greaterOrEqual",
        "isMissing", "isNotMissing"};
    private static final String[] MISSING = {"none", "nullPrediction", "lastPrediction", "defaultChild"};

    @Test
    void randomRegressionEnsemblesAgreeWithJpmml() {
        Random random = new Random(20261206L);
        int covered = 0;
        for (int m = 0; m < 150; m++) {
            String pmml = new Generator(random).regression();
            covered += compare(pmml, random, "model " + m) ? 1 : 0;
        }
        assertTrue(covered == 150, covered + " of 150 random models were covered");
    }

    @Test
    void randomEnsemblesOverStringsAndDerivedFieldsAgreeWithJpmml() {
        Random random = new Random(31L);
        for (int m = 0; m < 80; m++) {
            String pmml = new Generator(random).regressionWithExtras();
            assertTrue(compare(pmml, random, "extras model " + m));
        }
    }

    @Test
    void randomForestsAgreeWithJpmml() {
        Random random = new Random(7L);
        for (int m = 0; m < 100; m++) {
            String pmml = new Generator(random).forest();
            assertTrue(compare(pmml, random, "forest " + m));
        }
    }

    @Test
    void randomModelChainsAgreeWithJpmml() {
        Random random = new Random(99L);
        for (int m = 0; m < 100; m++) {
            String pmml = new Generator(random).chain();
            assertTrue(compare(pmml, random, "chain " + m));
        }
    }

    @Test
    void randomRegressionModelChainsAgreeWithJpmml() {
        Random random = new Random(1717L);
        for (int m = 0; m < 100; m++) {
            assertTrue(compare(new Generator(random).regressionChain(), random, "regression chain " + m));
        }
    }

    @Test
    void votingForestsUnderContinueAreServedWhenNoTreeCanFailAndAgreeWithJpmml() {
        Random random = new Random(5L);
        int covered = 0;
        int refused = 0;
        for (int m = 0; m < 80; m++) {
            if (compare(new Generator(random).votingForestUnderContinue(), random, "continue forest " + m, false)) {
                covered++;
            } else {
                refused++;
            }
        }
        assertTrue(covered > 0 && refused > 0, covered + " covered, " + refused + " left to JPMML");
    }

    private static boolean compare(String pmml, Random random, String where) {
        return compare(pmml, random, where, true);
    }

    /** Compares both engines on random rows; false (without scoring) when the model is not covered and need not be. */
    private static boolean compare(String pmml, Random random, String where, boolean mustBeCovered) {
        byte[] bytes = pmml.getBytes(StandardCharsets.UTF_8);
        try (Scorer compiled = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(true).build());
             Scorer jpmml = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(false).build())) {
            String engine = compiled.info().metadata().get(TreeEngines.METADATA_KEY);
            if (!mustBeCovered && !engine.startsWith("compiled trees")) {
                return false;
            }
            assertTrue(engine.startsWith("compiled trees"), where + ": " + engine + "\n" + pmml);
            List<Map<String, Object>> rows = new ArrayList<>();
            int fields = compiled.inputs().size();
            for (int r = 0; r < 300; r++) {
                Map<String, Object> row = new HashMap<>();
                for (int f = 0; f < fields; f++) {
                    if (compiled.inputs().get(f).name().equals("s")) {
                        String[] strings = {"p", "q", "r", "zz", "", "P"};
                        if (random.nextInt(7) > 0) {
                            row.put("s", strings[random.nextInt(strings.length)]);
                        }
                        continue;
                    }
                    if (compiled.inputs().get(f).type() == dev.handoff.ValueType.INTEGER) {
                        int k = random.nextInt(10);
                        if (k > 0) {
                            row.put(compiled.inputs().get(f).name(), (long) (random.nextInt(7) - 3));
                        }
                        continue;
                    }
                    Object v = value(random);
                    if (v != null) {
                        row.put(compiled.inputs().get(f).name(), v);
                    }
                }
                rows.add(row);
            }
            Predictions a = compiled.scoreAll(rows);
            Predictions b = jpmml.scoreAll(rows);
            List<String> outputs = compiled.outputs().stream().map(OutputField::name).toList();
            for (int r = 0; r < rows.size(); r++) {
                EngineParity.same(where + " row " + r + " " + rows.get(r) + "\n" + pmml, outputs, a.get(r), b.get(r));
            }
            return true;
        }
    }

    private static Object value(Random random) {
        int kind = random.nextInt(12);
        double t = GRID[random.nextInt(GRID.length)];
        switch (kind) {
            case 0:
                return null;
            case 1:
                return Double.NaN;
            case 2:
                return random.nextBoolean() ? -0d : 0d;
            case 3:
                return random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 4:
                return Math.nextUp(t);
            case 5:
                return Math.nextDown(t);
            case 6:
                return (double) Math.nextUp((float) t);
            case 7:
                return (double) Math.nextDown((float) t);
            case 8:
                return random.nextGaussian() * 2;
            default:
                return t;
        }
    }

    /** Writes one random PMML document. */
    static final class Generator {
        private final Random random;
        private final int fields;
        private final boolean[] floats;
        /** Integer fields (their floats entry is unused). */
        private final boolean[] integers;
        /** Whether the document has the string field s and the derived fields d0, f0, dd0 (scaled x0, its casts). */
        private boolean extras;
        /** A majorityVote under the default missingPredictionTreatment (continue). */
        private boolean voteUnderContinue;
        private int id;

        Generator(Random random) {
            this.random = random;
            this.fields = 1 + random.nextInt(4);
            this.floats = new boolean[fields];
            this.integers = new boolean[fields];
            for (int f = 0; f < fields; f++) {
                floats[f] = random.nextBoolean();
                integers[f] = random.nextInt(4) == 0;
            }
        }

        /** A regression ensemble that also reads a string field (equality, sets) and scaled, cast copies of x0. */
        String regressionWithExtras() {
            extras = true;
            return regression();
        }

        String regression() {
            StringBuilder b = header("<DataField name=\"y\" optype=\"continuous\" dataType=\"" + (random.nextBoolean() ? "float" : "double") + "\"/>");
            boolean floatMath = random.nextBoolean();
            b.append("<MiningModel functionName=\"regression\"").append(floatMath ? " x-mathContext=\"float\"" : "").append(">");
            schema(b, true);
            if (extras) {
                b.append("<LocalTransformations><DerivedField name=\"d0\" optype=\"continuous\" dataType=\"double\">")
                        .append("<Apply function=\"/\"><Apply function=\"-\"><FieldRef field=\"x0\"/><Constant dataType=\"double\">")
                        .append(round(random.nextGaussian())).append("</Constant></Apply><Constant dataType=\"double\">")
                        .append(0.3 + random.nextInt(3)).append("</Constant></Apply></DerivedField>")
                        .append("<DerivedField name=\"f0\" optype=\"continuous\" dataType=\"float\"><FieldRef field=\"d0\"/></DerivedField>")
                        .append("<DerivedField name=\"dd0\" optype=\"continuous\" dataType=\"double\"><FieldRef field=\"f0\"/></DerivedField>")
                        .append("</LocalTransformations>");
            }
            if (random.nextBoolean()) {
                b.append("<Targets><Target field=\"y\" rescaleFactor=\"").append(random.nextInt(3) * 0.5 + 0.1)
                        .append("\" rescaleConstant=\"").append(random.nextGaussian()).append("\"/></Targets>");
            }
            b.append("<Segmentation multipleModelMethod=\"").append(random.nextBoolean() ? "sum" : "average").append("\">");
            int trees = 1 + random.nextInt(4);
            for (int t = 0; t < trees; t++) {
                b.append("<Segment id=\"").append(t + 1).append("\"><True/>");
                tree(b, "regression", floatMath && random.nextBoolean());
                b.append("</Segment>");
            }
            b.append("</Segmentation></MiningModel></PMML>");
            return b.toString();
        }

        /** A voting forest under continue: covered only when no tree can give no prediction. */
        String votingForestUnderContinue() {
            voteUnderContinue = true;
            return forest();
        }

        String forest() {
            StringBuilder b = header("<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/>"
                    + "<Value value=\"b\"/><Value value=\"c\"/></DataField>");
            b.append("<MiningModel functionName=\"classification\">");
            schema(b, true);
            b.append("<Output>");
            for (String c : new String[] {"a", "b", "c"}) {
                b.append("<OutputField name=\"probability(").append(c).append(")\" optype=\"continuous\" dataType=\"double\" ")
                        .append("feature=\"probability\" value=\"").append(c).append("\"/>");
            }
            String[] methods = {"<Segmentation multipleModelMethod=\"average\">",
                "<Segmentation multipleModelMethod=\"majorityVote\" missingPredictionTreatment=\"returnMissing\">",
                "<Segmentation multipleModelMethod=\"majorityVote\">"};
            b.append("</Output>").append(voteUnderContinue ? methods[2] : methods[random.nextInt(2)]);
            int trees = 1 + random.nextInt(6);
            for (int t = 0; t < trees; t++) {
                b.append("<Segment id=\"").append(t + 1).append("\"><True/>");
                tree(b, "classification", false);
                b.append("</Segment>");
            }
            b.append("</Segmentation></MiningModel></PMML>");
            return b.toString();
        }

        /** A modelChain: decision functions from tree sums (and a sigmoid of one), then a RegressionModel. */
        String chain() {
            boolean binary = random.nextBoolean();
            String[] classes = binary ? new String[] {"a", "b"} : new String[] {"a", "b", "c"};
            StringBuilder target = new StringBuilder("<DataField name=\"y\" optype=\"categorical\" dataType=\"string\">");
            for (String c : classes) {
                target.append("<Value value=\"").append(c).append("\"/>");
            }
            StringBuilder b = header(target.append("</DataField>").toString());
            b.append("<MiningModel functionName=\"classification\">");
            schema(b, true);
            b.append("<Segmentation multipleModelMethod=\"modelChain\">");
            int functions = binary ? 1 : classes.length;
            boolean sigmoid = binary && random.nextBoolean();
            // XGBoost's shape: float trees and sums, a float RegressionModel
            boolean floatMath = !sigmoid && random.nextBoolean();
            String context = floatMath ? " x-mathContext=\"float\"" : "";
            for (int k = 0; k < functions; k++) {
                b.append("<Segment id=\"").append(k + 1).append("\"><True/><MiningModel functionName=\"regression\"")
                        .append(context).append(">");
                schema(b, false);
                b.append("<Output><OutputField name=\"df").append(k).append("\" optype=\"continuous\" dataType=\"")
                        .append(floatMath && random.nextBoolean() ? "float" : "double").append("\" isFinalResult=\"false\"/>");
                if (sigmoid) {
                    b.append("<OutputField name=\"sig\" optype=\"continuous\" dataType=\"double\" feature=\"transformedValue\" ")
                            .append("isFinalResult=\"false\"><Apply function=\"/\"><Constant dataType=\"double\">1.0</Constant>")
                            .append("<Apply function=\"+\"><Constant dataType=\"double\">1.0</Constant><Apply function=\"exp\">")
                            .append("<Apply function=\"*\"><Constant dataType=\"double\">-1.0</Constant><FieldRef field=\"df0\"/>")
                            .append("</Apply></Apply></Apply></Apply></OutputField>");
                }
                b.append("</Output>");
                if (random.nextBoolean()) {
                    b.append("<Targets><Target rescaleFactor=\"0.1\" rescaleConstant=\"").append(random.nextGaussian()).append("\"/></Targets>");
                }
                b.append("<Segmentation multipleModelMethod=\"sum\">");
                int trees = 1 + random.nextInt(3);
                for (int t = 0; t < trees; t++) {
                    b.append("<Segment id=\"").append(t + 1).append("\"><True/>");
                    tree(b, "regression", floatMath);
                    b.append("</Segment>");
                }
                b.append("</Segmentation></MiningModel></Segment>");
            }
            String[] methods = binary ? new String[] {"logit", "none", "softmax"} : new String[] {"softmax", "logit"};
            b.append("<Segment id=\"last\"><True/><RegressionModel functionName=\"classification\"").append(context)
                    .append(" normalizationMethod=\"")
                    .append(methods[random.nextInt(methods.length)]).append("\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>");
            for (int k = 0; k < functions; k++) {
                b.append("<MiningField name=\"df").append(k).append("\"/>");
            }
            if (sigmoid) {
                b.append("<MiningField name=\"sig\"/>");
            }
            b.append("</MiningSchema><Output>");
            for (String c : classes) {
                b.append("<OutputField name=\"probability(").append(c).append(")\" optype=\"continuous\" dataType=\"double\" ")
                        .append("feature=\"probability\" value=\"").append(c).append("\"/>");
            }
            b.append("</Output>");
            if (binary) {
                b.append("<RegressionTable intercept=\"").append(random.nextBoolean() ? 0.0 : random.nextGaussian())
                        .append("\" targetCategory=\"b\"><NumericPredictor name=\"").append(sigmoid ? "sig" : "df0")
                        .append("\" coefficient=\"").append(random.nextGaussian()).append("\"/></RegressionTable>")
                        .append("<RegressionTable intercept=\"0.0\" targetCategory=\"a\"/>");
            } else {
                for (int k = 0; k < classes.length; k++) {
                    b.append("<RegressionTable intercept=\"").append(random.nextInt(2) * random.nextGaussian())
                            .append("\" targetCategory=\"").append(classes[k]).append("\"><NumericPredictor name=\"df").append(k)
                            .append("\" coefficient=\"1.0\"/></RegressionTable>");
                }
            }
            b.append("</RegressionModel></Segment></Segmentation></MiningModel></PMML>");
            return b.toString();
        }

        /**
         * A regression modelChain as JPMML-XGBoost and JPMML-LightGBM write it for a link function: a sum or average
         * of trees (float or double, rescaled or not) with one output, then a one-table RegressionModel over it (float or
         * double, any covered normalizationMethod, random coefficients and intercept).
         */
        String regressionChain() {
            StringBuilder b = header("<DataField name=\"y\" optype=\"continuous\" dataType=\"" + (random.nextBoolean() ? "float" : "double") + "\"/>");
            b.append("<MiningModel functionName=\"regression\">");
            schema(b, true);
            b.append("<Segmentation multipleModelMethod=\"modelChain\" missingPredictionTreatment=\"returnMissing\">");
            boolean floatMath = random.nextBoolean();
            b.append("<Segment id=\"1\"><True/><MiningModel functionName=\"regression\"").append(floatMath ? " x-mathContext=\"float\"" : "")
                    .append(">");
            schema(b, false);
            b.append("<Output><OutputField name=\"v\" optype=\"continuous\" dataType=\"")
                    .append(floatMath && random.nextBoolean() ? "float" : "double").append("\" isFinalResult=\"false\"/></Output>");
            if (random.nextBoolean()) {
                b.append("<Targets><Target rescaleFactor=\"").append(random.nextInt(3) * 0.5 + 0.1).append("\" rescaleConstant=\"")
                        .append(random.nextGaussian()).append("\"/></Targets>");
            }
            b.append("<Segmentation multipleModelMethod=\"").append(random.nextBoolean() ? "sum" : "average").append("\">");
            int trees = 1 + random.nextInt(3);
            for (int t = 0; t < trees; t++) {
                b.append("<Segment id=\"").append(t + 1).append("\"><True/>");
                tree(b, "regression", floatMath && random.nextBoolean());
                b.append("</Segment>");
            }
            String[] methods = {"none", "exp", "logit", "softmax", "cloglog", "loglog", "cauchit"};
            b.append("</Segmentation></MiningModel></Segment><Segment id=\"2\"><True/><RegressionModel functionName=\"regression\"")
                    .append(random.nextBoolean() ? " x-mathContext=\"float\"" : "").append(" normalizationMethod=\"")
                    .append(methods[random.nextInt(methods.length)]).append("\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>")
                    .append("<MiningField name=\"v\"/></MiningSchema><RegressionTable intercept=\"")
                    .append(random.nextBoolean() ? 0.0 : round(random.nextGaussian())).append("\">");
            int predictors = random.nextInt(3);
            for (int k = 0; k < predictors; k++) {
                b.append("<NumericPredictor name=\"v\" coefficient=\"").append(k == 0 && random.nextBoolean() ? 1.0 : random.nextGaussian())
                        .append("\"/>");
            }
            return b.append("</RegressionTable></RegressionModel></Segment></Segmentation></MiningModel></PMML>").toString();
        }

        private StringBuilder header(String target) {
            StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>");
            b.append(target);
            for (int f = 0; f < fields; f++) {
                b.append("<DataField name=\"x").append(f).append("\" optype=\"continuous\" dataType=\"")
                        .append(integers[f] ? "integer" : floats[f] ? "float" : "double").append("\"/>");
            }
            if (extras) {
                b.append("<DataField name=\"s\" optype=\"categorical\" dataType=\"string\"><Value value=\"p\"/>")
                        .append("<Value value=\"q\"/><Value value=\"r\"/></DataField>");
            }
            return b.append("</DataDictionary>");
        }

        private void schema(StringBuilder b, boolean withTarget) {
            b.append("<MiningSchema>");
            if (withTarget) {
                b.append("<MiningField name=\"y\" usageType=\"target\"/>");
            }
            for (int f = 0; f < fields; f++) {
                b.append("<MiningField name=\"x").append(f).append("\"/>");
            }
            if (extras && withTarget) {
                String[] treatments = {"returnInvalid", "asIs", "asMissing"};
                b.append("<MiningField name=\"s\" invalidValueTreatment=\"").append(treatments[random.nextInt(3)]).append("\"/>");
            } else if (extras) {
                b.append("<MiningField name=\"s\"/><MiningField name=\"d0\"/><MiningField name=\"f0\"/><MiningField name=\"dd0\"/>");
            }
            b.append("</MiningSchema>");
        }

        private void tree(StringBuilder b, String function, boolean floatMath) {
            String missing = MISSING[random.nextInt(MISSING.length)];
            String noTrue = random.nextBoolean() ? "returnNullPrediction" : "returnLastPrediction";
            b.append("<TreeModel functionName=\"").append(function).append("\" missingValueStrategy=\"").append(missing)
                    .append("\" noTrueChildStrategy=\"").append(noTrue).append("\"").append(floatMath ? " x-mathContext=\"float\"" : "")
                    .append(">");
            schema(b, false);
            node(b, 0, missing.equals("defaultChild"), function.equals("classification"), true);
            b.append("</TreeModel>");
        }

        private void node(StringBuilder b, int depth, boolean defaultChild, boolean classification, boolean root) {
            int children = depth >= 3 || random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(3);
            int myId = ++id;
            int[] childIds = new int[children];
            b.append("<Node id=\"n").append(myId).append("\"");
            String score = classification ? new String[] {"a", "b", "c"}[random.nextInt(3)] : Double.toString(round(random.nextGaussian()));
            b.append(" score=\"").append(score).append("\"");
            StringBuilder inner = new StringBuilder();
            for (int c = 0; c < children; c++) {
                childIds[c] = id + 1;
                node(inner, depth + 1, defaultChild, classification, false);
            }
            if (defaultChild && children > 0) {
                b.append(" defaultChild=\"n").append(childIds[random.nextInt(children)]).append("\"");
            }
            b.append(">");
            if (root) {
                b.append(random.nextInt(8) == 0 ? predicate(0) : "<True/>");
            } else {
                b.append(predicate(0));
            }
            if (classification) {
                double[] counts = {random.nextInt(4), random.nextInt(4), random.nextInt(4) + 1};
                String[] names = {"a", "b", "c"};
                for (int k = 0; k < 3; k++) {
                    b.append("<ScoreDistribution value=\"").append(names[k]).append("\" recordCount=\"").append(counts[k]).append("\"/>");
                }
            }
            b.append(inner).append("</Node>");
        }

        private static double round(double x) {
            return Math.round(x * 1000) / 1000d;
        }

        private String predicate(int depth) {
            int kind = random.nextInt(depth > 0 ? 8 : 12);
            if (kind == 0) {
                return "<True/>";
            }
            if (kind == 1) {
                return "<False/>";
            }
            if (kind >= 8) {
                String op = new String[] {"and", "or", "surrogate"}[random.nextInt(3)];
                int parts = 2 + random.nextInt(2);
                StringBuilder b = new StringBuilder("<CompoundPredicate booleanOperator=\"" + op + "\">");
                for (int p = 0; p < parts; p++) {
                    b.append(predicate(depth + 1));
                }
                return b.append("</CompoundPredicate>").toString();
            }
            if (extras && kind == 3) {
                String[] values = {"p", "q", "r", "zz"};
                if (random.nextBoolean()) {
                    return "<SimplePredicate field=\"s\" operator=\"" + (random.nextBoolean() ? "equal" : "notEqual") + "\" value=\""
                            + values[random.nextInt(4)] + "\"/>";
                }
                return "<SimpleSetPredicate field=\"s\" booleanOperator=\"" + (random.nextBoolean() ? "isIn" : "isNotIn")
                        + "\"><Array type=\"string\">" + values[random.nextInt(4)] + " " + values[random.nextInt(4)] + "</Array></SimpleSetPredicate>";
            }
            String op = OPS[random.nextInt(kind == 2 ? OPS.length : 6)];
            int x = random.nextInt(fields);
            String field = extras && kind == 4 ? new String[] {"d0", "f0", "dd0"}[random.nextInt(3)] : "x" + x;
            if (op.startsWith("is")) {
                return "<SimplePredicate field=\"" + field + "\" operator=\"" + op + "\"/>";
            }
            double t = GRID[random.nextInt(GRID.length)];
            if (field.equals("x" + x) && integers[x] && op.contains("qual") && !op.contains("Or")) {
                return "<SimplePredicate field=\"" + field + "\" operator=\"" + op + "\" value=\"" + (random.nextInt(5) - 2) + "\"/>";
            }
            return "<SimplePredicate field=\"" + field + "\" operator=\"" + op + "\" value=\"" + t + "\"/>";
        }
    }
}
