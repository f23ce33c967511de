package dev.handoff.pmml;

import dev.handoff.OutputField;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.ValueType;
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
 * Random PMML tree ensembles in front of which random {@code DerivedField}s ({@code NormContinuous} with every outlier
 * treatment and {@code mapMissingTo}, {@code NormDiscrete} on strings and numbers, {@code MapValues} from strings to
 * strings or numbers and from numbers to numbers, with and without {@code defaultValue}/{@code mapMissingTo}, chained
 * into one another, the imputation {@code if(isMissing(x), c, x)} and the filter
 * {@code if(and(isNotMissing(x), notEqual(x, c)), x)}), scored by the compiled tree engine and by JPMML-Evaluator on the same
 * random rows (values at the norm points and table keys, one ulp either side, missing, signed zeros, infinities,
 * invalid and unseen strings), agree bit for bit; every model must be served by the compiled engine.
 */
class RandomPmmlDerivedFieldParityTest {
    static final double[] GRID = {-1.5, -1, -0.5, 0, 0.1, 0.25, 0.5, 1, 1.5, 3};
    private static final String[] OPS = {"equal", "notEqual", "lessThan", "lessOrEqual", "greaterThan", "greaterOrEqual",
        "isMissing", "isNotMissing"};
    private static final String[] STRINGS = {"p", "q", "r", "zz", "", "P"};

    @Test
    void randomEnsemblesOverNormalizedAndMappedFieldsAgreeWithJpmml() {
        Random random = new Random(20261207L);
        for (int m = 0; m < 150; m++) {
            compare(new Generator(random).document(false, false), random, "model " + m);
        }
    }

    @Test
    void randomWeightedMedianAndVotingSegmentationsAgreeWithJpmml() {
        Random random = new Random(424242L);
        for (int m = 0; m < 120; m++) {
            compare(new Generator(random).document(m % 2 == 1, true), random, "weighted model " + m);
        }
    }

    @Test
    void randomEnsemblesOverMissingValueFiltersAgreeWithJpmml() {
        // JPMML-XGBoost's missing=c filter if(and(isNotMissing(x), notEqual(x, c)), x) among the other derived fields;
        // the filtered inputs are never missing here (JPMML fails such a row, and the engine leaves the call to it)
        Random random = new Random(1999L);
        int filters = 0;
        for (int m = 0; m < 100; m++) {
            Generator generator = new Generator(random);
            generator.filters = true;
            String pmml = generator.document(m % 3 == 2, m % 3 == 2);
            filters += generator.filtered.size();
            compare(pmml, random, "filter model " + m, generator.filtered);
        }
        assertTrue(filters > 30, filters + " filtered inputs");
    }

    /** Compares both engines on random rows; the compiled engine must serve the document. */
    static void compare(String pmml, Random random, String where) {
        compare(pmml, random, where, java.util.Set.of());
    }

    /** As {@link #compare(String, Random, String)}, with the inputs in {@code present} never missing. */
    static void compare(String pmml, Random random, String where, java.util.Set<String> present) {
        byte[] bytes = pmml.getBytes(StandardCharsets.UTF_8);
        try (Scorer compiled = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(true).build());
             Scorer jpmml = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(false).build())) {
            String engine = compiled.info().metadata().get(TreeEngines.METADATA_KEY);
            assertTrue(engine.startsWith("compiled trees"), where + ": " + engine + "\n" + pmml);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int r = 0; r < 300; r++) {
                Map<String, Object> row = new HashMap<>();
                for (dev.handoff.InputField input : compiled.inputs()) {
                    Object v;
                    if (input.type() == ValueType.STRING) {
                        v = random.nextInt(7) == 0 ? null : STRINGS[random.nextInt(STRINGS.length)];
                    } else if (input.type() == ValueType.INTEGER) {
                        v = random.nextInt(10) == 0 ? null : (Object) (long) (random.nextInt(7) - 3);
                    } else {
                        v = value(random);
                        while (present.contains(input.name()) && (v == null || ((Double) v).isNaN())) {
                            v = value(random);
                        }
                    }
                    if (v != null) {
                        row.put(input.name(), v);
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
        }
    }

    private static Object value(Random random) {
        double t = GRID[random.nextInt(GRID.length)];
        switch (random.nextInt(12)) {
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
                return random.nextGaussian() * 4;
            default:
                return t;
        }
    }

    /** Writes one random document: inputs x0.., s; derived fields; a segmentation of regression or classification trees over them. */
    static final class Generator {
        private final Random random;
        private final int fields;
        private final String[] types;
        /** Numeric derived fields (continuous) and string derived fields (categorical) the trees may test. */
        private final List<String> numeric = new ArrayList<>();
        private final List<String> strings = new ArrayList<>();
        private final StringBuilder derived = new StringBuilder();
        private final List<String> integerFields = new ArrayList<>();
        /** Whether kind 6 may write a missing-value filter instead of an imputation, and the inputs filtered. */
        boolean filters;
        private final java.util.Set<String> filtered = new java.util.HashSet<>();
        private int id;

        Generator(Random random) {
            this.random = random;
            this.fields = 1 + random.nextInt(3);
            this.types = new String[fields];
            for (int f = 0; f < fields; f++) {
                types[f] = new String[] {"double", "float", "integer"}[random.nextInt(3)];
                numeric.add("x" + f);
            }
            strings.add("s");
        }

        /**
         * @param classification a classification forest (three classes, ScoreDistributions) instead of a regression
         * @param weighted weightedAverage, weightedSum, median, weightedMedian (regression), weightedAverage,
         *                 weightedMajorityVote, median, max (classification) or sum/average, with random segment weights
         */
        String document(boolean classification, boolean weighted) {
            int count = 2 + random.nextInt(5);
            for (int d = 0; d < count; d++) {
                derivedField(d);
            }
            StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                    + (classification ? "<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/>"
                    + "<Value value=\"b\"/><Value value=\"c\"/></DataField>"
                    : "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>"));
            for (int f = 0; f < fields; f++) {
                b.append("<DataField name=\"x").append(f).append("\" optype=\"continuous\" dataType=\"").append(types[f])
                        .append("\"/>");
            }
            b.append("<DataField name=\"s\" optype=\"categorical\" dataType=\"string\"><Value value=\"p\"/>")
                    .append("<Value value=\"q\"/><Value value=\"r\"/></DataField></DataDictionary>");
            String method = random.nextBoolean() ? "sum" : "average";
            boolean floatMath = false;
            if (weighted && classification) {
                method = new String[] {"average", "weightedAverage", "weightedMajorityVote", "median", "max"}[random.nextInt(5)];
            } else if (weighted) {
                method = new String[] {"sum", "average", "weightedAverage", "median", "weightedSum", "weightedMedian"}[random.nextInt(6)];
                floatMath = !method.contains("edian") && random.nextBoolean();
            }
            b.append("<MiningModel functionName=\"").append(classification ? "classification" : "regression").append("\"")
                    .append(floatMath ? " x-mathContext=\"float\"" : "")
                    .append("><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>");
            inputs(b);
            String[] treatments = {"returnInvalid", "asIs", "asMissing"};
            b.append("<MiningField name=\"s\" invalidValueTreatment=\"").append(treatments[random.nextInt(3)]).append("\"/>")
                    .append("</MiningSchema>");
            if (classification) {
                b.append("<Output>");
                for (String c : new String[] {"a", "b", "c"}) {
                    b.append("<OutputField name=\"probability(").append(c).append(")\" optype=\"continuous\" dataType=\"double\" ")
                            .append("feature=\"probability\" value=\"").append(c).append("\"/>");
                }
                b.append("</Output>");
            }
            b.append("<LocalTransformations>").append(derived).append("</LocalTransformations><Segmentation multipleModelMethod=\"")
                    .append(method).append("\"").append(method.contains("Vote") ? " missingPredictionTreatment=\"returnMissing\"" : "")
                    .append(">");
            int trees = 1 + random.nextInt(weighted ? 6 : 3);
            String[] weights = {"1", "1", "0.5", "2.5", "0", "0.1", "3"};
            for (int t = 0; t < trees; t++) {
                String weight = weights[random.nextInt(weights.length)];
                if (t == 0 && weight.equals("0")) {
                    weight = "0.7";
                }
                b.append("<Segment id=\"").append(t + 1).append("\"").append(weighted ? " weight=\"" + weight + "\"" : "")
                        .append("><True/><TreeModel functionName=\"").append(classification ? "classification" : "regression")
                        .append("\" missingValueStrategy=\"").append(random.nextBoolean() ? "none" : "nullPrediction")
                        .append("\" noTrueChildStrategy=\"returnLastPrediction\"")
                        .append(floatMath && random.nextBoolean() ? " x-mathContext=\"float\"" : "").append("><MiningSchema>");
                inputs(b);
                b.append("<MiningField name=\"s\"/>");
                for (int d = 0; d < count; d++) {
                    b.append("<MiningField name=\"d").append(d).append("\"/>");
                }
                b.append("</MiningSchema>");
                node(b, 0, classification);
                b.append("</TreeModel></Segment>");
            }
            return b.append("</Segmentation></MiningModel></PMML>").toString();
        }

        private void inputs(StringBuilder b) {
            for (int f = 0; f < fields; f++) {
                b.append("<MiningField name=\"x").append(f).append("\"/>");
            }
        }

        private void derivedField(int d) {
            String name = "d" + d;
            int kind = filters && random.nextBoolean() ? 6 : random.nextInt(7);
            String type = random.nextInt(4) == 0 ? "float" : "double";
            if (kind == 0 || kind == 1) {
                String source = numeric.get(random.nextInt(numeric.size()));
                derived.append("<DerivedField name=\"").append(name).append("\" optype=\"continuous\" dataType=\"")
                        .append(type).append("\">").append(normContinuous(source)).append("</DerivedField>");
                numeric.add(name);
            } else if (kind == 2) {
                boolean onString = random.nextBoolean();
                String source = onString ? strings.get(random.nextInt(strings.size())) : "x" + random.nextInt(fields);
                String value = onString ? new String[] {"p", "q", "u", "zz"}[random.nextInt(4)] : key(source);
                derived.append("<DerivedField name=\"").append(name).append("\" optype=\"continuous\" dataType=\"")
                        .append(type).append("\"><NormDiscrete field=\"").append(source).append("\" value=\"").append(value)
                        .append("\"").append(missing(random.nextBoolean() ? "1" : "-2")).append("/></DerivedField>");
                numeric.add(name);
            } else if (kind == 3) {
                String source = strings.get(random.nextInt(strings.size()));
                derived.append("<DerivedField name=\"").append(name).append("\" optype=\"categorical\" dataType=\"string\">")
                        .append(mapValues(source, "string", new String[] {"p", "q", "r", "u", "v"}, new String[] {"u", "v", "w"}))
                        .append("</DerivedField>");
                strings.add(name);
            } else if (kind == 4) {
                String source = strings.get(random.nextInt(strings.size()));
                derived.append("<DerivedField name=\"").append(name).append("\" optype=\"continuous\" dataType=\"")
                        .append(type).append("\">")
                        .append(mapValues(source, "double", new String[] {"p", "q", "r", "u", "v"}, new String[] {"0.5", "-1", "3", "0.1"}))
                        .append("</DerivedField>");
                numeric.add(name);
            } else if (kind == 6) {
                int f = random.nextInt(fields);
                String derivedType = random.nextBoolean() ? types[f] : type;
                if (derivedType.equals("integer")) {
                    integerFields.add(name);
                }
                String c = "<Constant dataType=\"" + types[f] + "\">" + key("x" + f) + "</Constant>";
                String ref = "<FieldRef field=\"x" + f + "\"/>";
                if (filters && !types[f].equals("integer") && random.nextInt(3) > 0) {
                    filtered.add("x" + f);
                    derived.append("<DerivedField name=\"").append(name).append("\" optype=\"continuous\" dataType=\"")
                            .append(derivedType.equals("integer") ? type : derivedType).append("\"><Apply function=\"if\">")
                            .append("<Apply function=\"and\"><Apply function=\"isNotMissing\">").append(ref).append("</Apply>")
                            .append("<Apply function=\"notEqual\">").append(ref).append(c).append("</Apply></Apply>").append(ref)
                            .append("</Apply></DerivedField>");
                    integerFields.remove(name);
                    numeric.add(name);
                    return;
                }
                boolean missing = random.nextBoolean();
                derived.append("<DerivedField name=\"").append(name).append("\" optype=\"continuous\" dataType=\"")
                        .append(derivedType).append("\"><Apply function=\"if\"><Apply function=\"")
                        .append(missing ? "isMissing" : "isNotMissing").append("\">").append(ref).append("</Apply>")
                        .append(missing ? c + ref : ref + c).append("</Apply></DerivedField>");
                numeric.add(name);
            } else {
                int f = random.nextInt(fields);
                String[] keys = new String[4];
                for (int k = 0; k < keys.length; k++) {
                    keys[k] = key("x" + f);
                }
                String out = random.nextBoolean() ? "double" : "integer";
                String[] values = out.equals("double") ? new String[] {"0.5", "-1", "3", "0.1"} : new String[] {"0", "1", "2", "-3"};
                String derivedType = out.equals("integer") && random.nextBoolean() ? "integer" : type;
                if (derivedType.equals("integer")) {
                    integerFields.add(name);
                }
                derived.append("<DerivedField name=\"").append(name).append("\" optype=\"continuous\" dataType=\"")
                        .append(derivedType).append("\">")
                        .append(mapValues("x" + f, out, keys, values)).append("</DerivedField>");
                numeric.add(name);
            }
        }

        /** A key or value on input x{f}: a grid value (a whole number on an integer field), as the field writes it. */
        private String key(String source) {
            int f = Integer.parseInt(source.substring(1));
            if (types[f].equals("integer")) {
                return Integer.toString(random.nextInt(7) - 3);
            }
            return Double.toString(GRID[random.nextInt(GRID.length)]);
        }

        private String normContinuous(String source) {
            int points = 2 + random.nextInt(3);
            List<Double> orig = new ArrayList<>();
            while (orig.size() < points) {
                double o = GRID[random.nextInt(GRID.length)];
                if (!orig.contains(o)) {
                    orig.add(o);
                }
            }
            orig.sort(Double::compare);
            String[] outliers = {null, "asIs", "asMissingValues", "asExtremeValues"};
            String outlier = outliers[random.nextInt(outliers.length)];
            StringBuilder b = new StringBuilder("<NormContinuous field=\"" + source + "\"");
            if (outlier != null) {
                b.append(" outliers=\"").append(outlier).append("\"");
            }
            b.append(missing(Double.toString(GRID[random.nextInt(GRID.length)]))).append(">");
            double norm = random.nextInt(3) - 1;
            for (double o : orig) {
                b.append("<LinearNorm orig=\"").append(o).append("\" norm=\"").append(norm).append("\"/>");
                // never flat, so that asIs extrapolates an infinity to an infinity (a flat one is left to JPMML)
                norm += (random.nextBoolean() ? 1 : -1) * (0.1 + random.nextInt(20) / 7.0);
            }
            return b.append("</NormContinuous>").toString();
        }

        private String missing(String value) {
            return random.nextBoolean() ? " mapMissingTo=\"" + value + "\"" : "";
        }

        private String mapValues(String source, String type, String[] keys, String[] values) {
            StringBuilder b = new StringBuilder("<MapValues outputColumn=\"out\"");
            if (!type.equals("string") || random.nextBoolean()) {
                b.append(" dataType=\"").append(type).append("\"");
            }
            if (random.nextBoolean()) {
                b.append(" defaultValue=\"").append(values[random.nextInt(values.length)]).append("\"");
            }
            b.append(missing(values[random.nextInt(values.length)])).append("><FieldColumnPair field=\"").append(source)
                    .append("\" column=\"in\"/><InlineTable>");
            List<String> used = new ArrayList<>();
            for (String key : keys) {
                if (random.nextInt(4) == 0 || used.contains(key)) {
                    continue;
                }
                used.add(key);
                b.append("<row><in>").append(key).append("</in><out>").append(values[random.nextInt(values.length)])
                        .append("</out></row>");
            }
            if (used.isEmpty()) {
                b.append("<row><in>").append(keys[0]).append("</in><out>").append(values[0]).append("</out></row>");
            }
            return b.append("</InlineTable></MapValues>").toString();
        }

        private void node(StringBuilder b, int depth, boolean classification) {
            int children = depth >= 3 || random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(3);
            // few distinct scores, so that medians and weighted votes tie
            String score = classification ? new String[] {"a", "b", "c"}[random.nextInt(3)]
                    : random.nextBoolean() ? Double.toString(random.nextInt(5) * 0.5 - 1) : Double.toString(Math.round(random.nextGaussian() * 1000) / 1000d);
            b.append("<Node id=\"n").append(++id).append("\" score=\"").append(score)
                    .append("\">").append(depth == 0 ? "<True/>" : predicate());
            if (classification) {
                // in another order than the target's categories: ties break by one order or the other
                for (String c : new String[] {"c", "a", "b"}) {
                    b.append("<ScoreDistribution value=\"").append(c).append("\" recordCount=\"").append(random.nextInt(4) + (c.equals("c") ? 1 : 0))
                            .append("\"/>");
                }
            }
            for (int c = 0; c < children; c++) {
                node(b, depth + 1, classification);
            }
            b.append("</Node>");
        }

        private String predicate() {
            if (random.nextInt(3) == 0) {
                String field = strings.get(random.nextInt(strings.size()));
                String[] values = {"p", "q", "r", "u", "v", "w"};
                String op = new String[] {"equal", "notEqual", "isMissing"}[random.nextInt(3)];
                return "<SimplePredicate field=\"" + field + "\" operator=\"" + op + "\""
                        + (op.startsWith("is") ? "" : " value=\"" + values[random.nextInt(values.length)] + "\"") + "/>";
            }
            String field = numeric.get(random.nextInt(numeric.size()));
            String op = OPS[random.nextInt(OPS.length)];
            if (op.startsWith("is")) {
                return "<SimplePredicate field=\"" + field + "\" operator=\"" + op + "\"/>";
            }
            boolean integer = field.startsWith("x") && types[Integer.parseInt(field.substring(1))].equals("integer");
            if (integer || isIntegerField(field)) {
                return "<SimplePredicate field=\"" + field + "\" operator=\"" + op + "\" value=\"" + (random.nextInt(7) - 3) + "\"/>";
            }
            double t = random.nextBoolean() ? GRID[random.nextInt(GRID.length)] : Math.round(random.nextGaussian() * 300) / 100d;
            return "<SimplePredicate field=\"" + field + "\" operator=\"" + op + "\" value=\"" + t + "\"/>";
        }

        private boolean isIntegerField(String field) {
            return integerFields.contains(field);
        }
    }
}
