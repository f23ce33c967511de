package dev.handoff.onnx.internal;

import dev.handoff.Batch;
import dev.handoff.InputField;
import dev.handoff.OutputField;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.ScoringTimeoutException;
import dev.handoff.ValueType;
import dev.handoff.Verification;
import dev.handoff.VerificationReport;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.onnx.OnnxOptions;
import dev.handoff.testing.CapturedLog;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled tree engine serving ONNX models through the normal {@link Scorer} path: on every corpus tree file a
 * scorer loaded with {@code compiledTrees(true)} and one with {@code compiledTrees(false)} (ONNX Runtime) give the same
 * bits for every prediction (label, each probability, value, every named output) through {@code score(Map)},
 * {@code scoreAll} and {@code score(Batch)}, on input.csv's rows and on fuzzed rows; both match expected.csv. Then the
 * engine line, the deadline, close() racing calls and many threads on the engine. The JUnit timeouts only keep a
 * regression from hanging the build; nothing asserts on time.
 */
class OnnxTreeModelTest {
    /** The corpus tree files, every one covered (the ZipMap exports and the churn pipeline through the preprocessing ops). */
    private static final Set<CorpusModel> COVERED = Set.of(CorpusModel.DIABETES_ONNX, CorpusModel.XGBOOST_MISSING_ONNX,
            CorpusModel.HGB_MISSING_ONNX, CorpusModel.HGB_MISSING_NOZIPMAP_ONNX, CorpusModel.IRIS_ONNX, CorpusModel.IRIS_NOZIPMAP_ONNX,
            CorpusModel.CHURN_PIPELINE_ONNX, CorpusModel.CHURN_PIPELINE_NOZIPMAP_ONNX);
    private static final double[] SPECIAL = {Double.NaN, 0d, -0d, Double.MIN_VALUE, -Double.MIN_VALUE, Float.MIN_VALUE,
        Float.MIN_NORMAL, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, 1e300, -1e300,
        1e30, -1e-30, 3.4028235677973366e38};

    private static ScorerOptions options(CorpusModel model, boolean compiledTrees) {
        ScorerOptions.Builder options = ScorerOptions.builder().compiledTrees(compiledTrees);
        if (model.isSingleTensor()) {
            options.runtime(OnnxOptions.builder().featureNames(model.inputColumns()).build());
        }
        return options.build();
    }

    private static String engine(Scorer scorer) {
        return scorer.info().metadata().get(TreeEngines.METADATA_KEY);
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"DIABETES_ONNX", "XGBOOST_MISSING_ONNX", "HGB_MISSING_ONNX",
            "HGB_MISSING_NOZIPMAP_ONNX", "IRIS_ONNX", "IRIS_NOZIPMAP_ONNX", "CHURN_PIPELINE_ONNX", "CHURN_PIPELINE_NOZIPMAP_ONNX"})
    void compiledTreesAndOnnxRuntimeGiveTheSameBitsOnEveryCorpusAndFuzzedRow(CorpusModel corpus) {
        OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(corpus.modelBytes()).proto());
        assertTrue(COVERED.contains(corpus) && coverage.covered(), corpus + ": " + coverage.reason());
        try (Scorer trees = Scorer.load(corpus.modelBytes(), options(corpus, true));
             Scorer runtime = Scorer.load(corpus.modelBytes(), options(corpus, false))) {
            if (coverage.covered()) {
                assertTrue(engine(trees).startsWith("compiled trees (" + TreeEngines.backendFor(coverage.model()).name() + "; "
                        + coverage.model().treeCount() + " trees, "), engine(trees));
                assertEquals(TreeEngines.runtime(TreeEngines.SWITCHED_OFF), engine(runtime));
            } else {
                assertEquals(TreeEngines.runtime(coverage.reason()), engine(trees));
                assertEquals(TreeEngines.runtime(TreeEngines.SWITCHED_OFF), engine(runtime));
            }
            assertEquals(runtime.inputs(), trees.inputs());
            assertEquals(runtime.outputs(), trees.outputs());
            assertEquals(runtime.classes(), trees.classes());
            assertEquals(runtime.info().task(), trees.info().task());
            Map<String, String> metadata = new HashMap<>(trees.info().metadata());
            metadata.put(TreeEngines.METADATA_KEY, engine(runtime));
            assertEquals(runtime.info().metadata(), metadata, "metadata other than the engine line");

            List<Map<String, Object>> records = corpus.inputRecords();
            boolean expf = coverage.covered() && coverage.model().postTransform() != TreeEnsemble.PostTransform.NONE;
            assertSameEverywhere(corpus + " input.csv", trees, runtime, records, expf);
            assertMatchesExpected(corpus, trees);
            assertMatchesExpected(corpus, runtime);
            assertSameEverywhere(corpus + " fuzzed", trees, runtime, fuzzed(corpus, coverage, records, trees.inputs()), expf);
        }
    }

    /**
     * Same answers through each way in: one record at a time, a list, and a columnar batch of all rows. Every token
     * bit for bit, except that a probability may differ from ONNX Runtime's by one float ulp of [0.5, 1) (2<sup>-24</sup>)
     * when the model's post-transform calls C's {@code expf} (LOGISTIC, SOFTMAX), which Java's {@code Math.exp}
     * rounded to float does not always match; such values are counted and printed, not hidden.
     */
    private static void assertSameEverywhere(String what, Scorer trees, Scorer runtime, List<Map<String, Object>> records,
                                             boolean expf) {
        int[] ulps = new int[1];
        for (int r = 0; r < records.size(); r++) {
            assertSame(what + " score(Map) row " + r + " " + records.get(r), alone(runtime, records.get(r)),
                    alone(trees, records.get(r)), expf, ulps);
        }
        List<List<Object>> all = exact(trees, trees.scoreAll(records));
        assertSameRows(what + " scoreAll", exact(runtime, runtime.scoreAll(records)), all, expf, ulps);
        List<List<Object>> batch = exact(trees, trees.score(batchOf(records, trees.inputs())));
        assertSameRows(what + " score(Batch)", exact(runtime, runtime.score(batchOf(records, runtime.inputs()))), batch, expf, ulps);
        assertEquals(all, batch, what + ": the engine's block path and row path agree bit for bit");
        System.out.printf("TREE ENGINE %s: %d rows x 3 ways, %d probability values 2^-24 from ONNX Runtime's (expf)%n",
                what, records.size(), ulps[0]);
    }

    private static void assertSameRows(String what, List<List<Object>> expected, List<List<Object>> actual, boolean expf, int[] ulps) {
        assertEquals(expected.size(), actual.size(), what);
        for (int r = 0; r < expected.size(); r++) {
            assertSame(what + " row " + r, expected.get(r), actual.get(r), expf, ulps);
        }
    }

    private static void assertSame(String what, List<Object> expected, List<Object> actual, boolean expf, int[] ulps) {
        if (expected.equals(actual)) {
            return;
        }
        assertEquals(expected.size(), actual.size(), () -> what + ": " + expected + " vs " + actual);
        for (int i = 0; i < expected.size(); i++) {
            Object e = expected.get(i);
            Object a = actual.get(i);
            if (e.equals(a)) {
                continue;
            }
            // one float ulp of a probability in [0.5, 1); p0 = 1 - p1 carries the same absolute difference
            boolean oneUlp = expf && e instanceof Double x && a instanceof Double y && (float) (double) x == x && (float) (double) y == y
                    && Math.abs(x - y) <= Math.ulp(0.5f);
            assertTrue(oneUlp, () -> what + ": " + expected + " vs " + actual);
            ulps[0]++;
        }
    }

    private static void assertMatchesExpected(CorpusModel model, Scorer scorer) {
        Verification golden = model.verification();
        List<Prediction> kept = new ArrayList<>();
        Predictions all = scorer.scoreAll(model.inputRecords());
        for (int r = 0; r < all.size(); r++) {
            if (!model.isFloat32Fragile(r)) {
                kept.add(all.get(r));
            }
        }
        VerificationReport report = golden.select(r -> !model.isFloat32Fragile(r)).compare(kept);
        assertTrue(report.passed(), model + " " + engine(scorer) + ":\n" + report);
    }

    /**
     * Rows of input.csv with one to three values replaced: NaN, +-0, subnormals, +-infinity, huge magnitudes, doubles
     * that no float holds, and each threshold of the model with the float one ulp either side.
     */
    private static List<Map<String, Object>> fuzzed(CorpusModel corpus, OnnxTreeCoverage coverage, List<Map<String, Object>> records,
                                                    List<InputField> inputs) {
        List<String> columns = corpus.inputColumns();
        Random random = new Random(31 + corpus.ordinal());
        List<Map<String, Object>> rows = new ArrayList<>();
        // feature f is column f only where the trees read the inputs directly (no preprocessing in between)
        boolean direct = inputs.size() == columns.size() && columns.size() == coverage.model().featureCount()
                && inputs.stream().allMatch(in -> in.type() == ValueType.DOUBLE || in.type() == ValueType.FLOAT);
        if (direct) {
            TreeEnsemble model = coverage.model();
            for (int f = 0; f < columns.size(); f++) {
                TreeSet<Float> thresholds = new TreeSet<>();
                for (int i = 0; i < model.nodeCount(); i++) {
                    if (!model.isLeaf(i) && model.feature(i) == f) {
                        thresholds.add((float) model.value(i));
                    }
                }
                for (float t : thresholds) {
                    for (double x : new double[] {Math.nextDown(t), t, Math.nextUp(t), Math.nextUp((double) t), Math.nextDown((double) t)}) {
                        Map<String, Object> row = new LinkedHashMap<>(records.get(random.nextInt(records.size())));
                        row.put(columns.get(f), x);
                        rows.add(row);
                    }
                }
            }
        }
        for (int i = 0; i < 600; i++) {
            Map<String, Object> row = new LinkedHashMap<>(records.get(random.nextInt(records.size())));
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                InputField input = inputs.get(random.nextInt(inputs.size()));
                if (input.type() == ValueType.STRING) {
                    // an unseen category, an empty one, another case: one-hot encoded as none of the known ones
                    row.put(input.name(), List.of("unseen", "", "PLUS", "Monthly ").get(random.nextInt(4)));
                    continue;
                }
                double v = SPECIAL[random.nextInt(SPECIAL.length)];
                row.put(input.name(), Double.isNaN(v) && random.nextBoolean() ? null : v);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The records as columns: strings as they are, numbers as doubles with NaN for a missing value. */
    private static Batch batchOf(List<Map<String, Object>> records, List<InputField> inputs) {
        Batch.Builder batch = Batch.builder(records.size());
        for (InputField field : inputs) {
            if (field.type() == ValueType.STRING) {
                batch.strings(field.name(), records.stream().map(r -> (String) r.get(field.name())).toArray(String[]::new));
                continue;
            }
            assertEquals(ValueType.DOUBLE == field.type() || ValueType.FLOAT == field.type(), true, field.toString());
            double[] values = new double[records.size()];
            for (int r = 0; r < values.length; r++) {
                Object v = records.get(r).get(field.name());
                values[r] = v == null ? Double.NaN : v instanceof Number n ? n.doubleValue() : Double.parseDouble((String) v);
            }
            batch.doubles(field.name(), values);
        }
        return batch.build();
    }

    private static List<Object> alone(Scorer scorer, Map<String, ?> record) {
        try {
            return exact(scorer, scorer.score(record));
        } catch (RuntimeException e) {
            return List.of("throws " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static List<List<Object>> exact(Scorer scorer, Predictions predictions) {
        List<List<Object>> out = new ArrayList<>();
        for (Prediction p : predictions) {
            out.add(exact(scorer, p));
        }
        return out;
    }

    /** Everything a caller can read of one prediction, as tokens: text, and each double as a {@code Double} (equal by bits). */
    private static List<Object> exact(Scorer scorer, Prediction p) {
        List<Object> s = new ArrayList<>();
        if (p.failed()) {
            s.add("failed: " + p.failure().orElseThrow().getMessage());
            return s;
        }
        if (p.hasLabel()) {
            s.add("label " + p.label());
        }
        if (p.hasProbabilities()) {
            for (Map.Entry<String, Double> e : p.probabilities().entrySet()) {
                s.add("probability " + e.getKey());
                s.add(e.getValue());
            }
        }
        if (p.hasValue()) {
            s.add("value");
            s.add(p.value());
        }
        for (OutputField o : scorer.outputs()) {
            s.add(o.name() + "=");
            render(p.output(o.name()), s);
        }
        return s;
    }

    private static void render(Object value, List<Object> s) {
        if (value == null) {
            s.add("null");
        } else if (value instanceof Double d) {
            s.add(d);
        } else if (value instanceof Float f) {
            s.add("float " + Integer.toHexString(Float.floatToRawIntBits(f)));
        } else if (value.getClass().isArray()) {
            s.add("[");
            for (int i = 0; i < Array.getLength(value); i++) {
                render(Array.get(value, i), s);
            }
            s.add("]");
        } else if (value instanceof Iterable<?> list) {
            s.add("[");
            list.forEach(v -> render(v, s));
            s.add("]");
        } else if (value instanceof Map<?, ?> map) {
            s.add("{");
            map.forEach((k, v) -> {
                s.add(k + "=");
                render(v, s);
            });
            s.add("}");
        } else {
            s.add(value.getClass().getSimpleName() + ":" + value);
        }
    }

    /**
     * With the engine switched off the graph is not read for it at all (a load does not pay for a tree read whose
     * answer is not used): the engine line names the switch, also for a model the engine would not cover.
     */
    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"CHURN_LOGREG_ONNX", "DIGITS_ONNX", "XGBOOST_MISSING_ONNX"})
    void aSwitchedOffEngineIsNamedAsTheReasonWhetherOrNotTheModelIsCovered(CorpusModel corpus) {
        try (Scorer runtime = Scorer.load(corpus.modelBytes(), options(corpus, false))) {
            assertEquals(TreeEngines.runtime(TreeEngines.SWITCHED_OFF), engine(runtime));
        }
    }

    /**
     * Seeded random ensembles ({@link RandomTreeModels}: several targets, int64 or string labels, ONNX Runtime's
     * binary case, every post-transform, double inputs) through the whole scorer on both engines: the engine maps
     * each graph's outputs onto the columns ONNX Runtime gives.
     */
    @Test
    void randomEnsemblesGiveTheSamePredictionsOnBothEngines() {
        int models = 0;
        int scored = 0;
        int[] ulps = new int[1];
        for (int i = 0; i < 120; i++) {
            RandomTreeModels generator = new RandomTreeModels(77_000L + i);
            byte[] bytes = generator.model();
            String name = "seed " + (77_000L + i) + " (" + generator.description + ")";
            OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(bytes).proto());
            boolean expf = coverage.covered() && coverage.model().postTransform() != TreeEnsemble.PostTransform.NONE;
            List<Map<String, Object>> records = new ArrayList<>();
            for (int r = 0; r < 40; r++) {
                float[] row = generator.row();
                for (int f = 0; f < row.length; f++) {
                    if (Float.isInfinite(row[f])) { // refused by the binder, for both engines
                        row[f] = Math.copySign(Float.MAX_VALUE, row[f]);
                    }
                }
                records.add(Map.of("X", row.length == 1 ? (Object) row[0] : row)); // one feature: a scalar input
            }
            try (Scorer trees = Scorer.load(bytes, ScorerOptions.builder().build());
                 Scorer runtime = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(false).build())) {
                if (!engine(trees).startsWith("compiled trees")) {
                    assertEquals(TreeEngines.runtime(coverage.reason()), engine(trees), name);
                    continue;
                }
                models++;
                assertEquals(runtime.outputs(), trees.outputs(), name);
                assertEquals(runtime.classes(), trees.classes(), name);
                assertEquals(runtime.info().task(), trees.info().task(), name);
                for (int r = 0; r < 3; r++) {
                    assertSame(name + " score(Map) row " + r, alone(runtime, records.get(r)), alone(trees, records.get(r)), expf, ulps);
                }
                Predictions all = trees.scoreAll(records); // a NaN value (PROBIT of a score out of range) is "no prediction"
                scored += all.size() - all.failures().size();
                assertSameRows(name + " scoreAll", exact(runtime, runtime.scoreAll(records)), exact(trees, all), expf, ulps);
            }
        }
        System.out.printf("TREE ENGINE random ensembles: %d served by the engine, %d rows with a prediction, %d probability values "
                + "2^-24 from ONNX Runtime's%n", models, scored, ulps[0]);
        assertTrue(models > 100, "the engine served " + models + " of 120");
        assertTrue(scored > models * 40 * 3 / 4, "rows with a prediction: " + scored);
    }

    /**
     * Seeded random opset-5 {@code TreeEnsemble} models ({@link RandomTreeEnsembleV5Models}, BRANCH_MEMBER included), with
     * post_transform NONE, through the whole scorer on both engines: the engine serves every one and gives ONNX Runtime's
     * bits for every output.
     */
    @Test
    void randomOpset5EnsemblesAreServedByTheEngineWithOnnxRuntimesPredictions() {
        int rows = 0;
        for (int i = 0; i < 40; i++) {
            RandomTreeEnsembleV5Models generator = new RandomTreeEnsembleV5Models(91_000L + i);
            byte[] bytes = TreeEnsembleV5ParityTest.withTransform(generator.model(), 0);
            String name = "seed " + (91_000L + i) + " (" + generator.description + ")";
            List<Map<String, Object>> records = new ArrayList<>();
            for (int r = 0; r < 30; r++) {
                float[] row = generator.row();
                for (int f = 0; f < row.length; f++) {
                    if (Float.isInfinite(row[f])) { // refused by the binder, for both engines
                        row[f] = Math.copySign(Float.MAX_VALUE, row[f]);
                    }
                }
                records.add(Map.of("X", row.length == 1 ? (Object) row[0] : row));
            }
            OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(bytes).proto());
            try (Scorer trees = Scorer.load(bytes, ScorerOptions.builder().build());
                 Scorer runtime = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(false).build())) {
                assertTrue(coverage.covered(), name + ": " + coverage.reason());
                assertEquals("compiled trees (" + TreeEngines.backendFor(coverage.model()).name() + "; " + coverage.model().treeCount()
                        + " trees, " + coverage.model().nodeCount() + " nodes)", engine(trees), name);
                assertEquals(runtime.outputs(), trees.outputs(), name);
                assertEquals(runtime.info().task(), trees.info().task(), name);
                int[] ulps = new int[1];
                for (int r = 0; r < 3; r++) {
                    assertSame(name + " score(Map) row " + r, alone(runtime, records.get(r)), alone(trees, records.get(r)), false, ulps);
                }
                assertSameRows(name + " scoreAll", exact(runtime, runtime.scoreAll(records)), exact(trees, trees.scoreAll(records)), false,
                        ulps);
                rows += records.size();
            }
        }
        System.out.printf("TREE ENGINE random opset-5 ensembles: 40 models, %d rows, every bit as ONNX Runtime's%n", rows);
    }

    @Test
    void theEngineLineSaysWhichEngineServesAndWhyInTheMetadataAndTheLoadLine() {
        CorpusModel covered = CorpusModel.XGBOOST_MISSING_ONNX;
        List<String> log = new ArrayList<>();
        try (Scorer scorer = load(covered, true, log)) {
            assertEquals("compiled trees (" + TreeEngines.backendFor(OnnxTreeReader.read(OnnxGraph.read(covered.modelBytes()).proto())
                    .model()).name() + "; 100 trees, 2360 nodes)", engine(scorer));
        }
        assertEquals(1, log.stream().filter(l -> l.contains("INFO") && l.contains("Loaded ONNX")).count(), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("Loaded ONNX REGRESSION model") && l.endsWith("; engine: compiled trees ("
                + TreeEngines.backendFor(OnnxTreeReader.read(OnnxGraph.read(covered.modelBytes()).proto()).model()).name()
                + "; 100 trees, 2360 nodes)")), log.toString());

        log.clear();
        try (Scorer scorer = load(covered, false, log)) {
            assertEquals("runtime (compiled tree engine switched off by ScorerOptions.compiledTrees(false))", engine(scorer));
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("Loaded ONNX") && l.endsWith("; engine: runtime (compiled tree engine "
                + "switched off by ScorerOptions.compiledTrees(false))")), log.toString());

        log.clear();
        try (Scorer scorer = load(CorpusModel.CHURN_LOGREG_NOZIPMAP_ONNX, true, log)) {
            assertTrue(engine(scorer).matches("runtime \\(ONNX op \\w+ not covered\\)"), engine(scorer));
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("Loaded ONNX") && l.contains("; engine: runtime (ONNX op ")), log.toString());
    }

    @Test
    void aLogisticRegressionStaysOnOnnxRuntimeNamingItsOperator() {
        try (Scorer scorer = Scorer.load(CorpusModel.BREAST_CANCER_NOZIPMAP_ONNX.modelBytes(),
                options(CorpusModel.BREAST_CANCER_NOZIPMAP_ONNX, true))) {
            assertEquals(TreeEngines.runtime(OnnxTreeReader.read(OnnxGraph.read(CorpusModel.BREAST_CANCER_NOZIPMAP_ONNX.modelBytes())
                    .proto()).reason()), engine(scorer));
            assertEquals("runtime (ONNX op LinearClassifier not covered)", engine(scorer));
        }
    }

    private static Scorer load(CorpusModel model, boolean compiledTrees, List<String> log) {
        Scorer[] scorer = new Scorer[1];
        log.addAll(CapturedLog.linesWhile(() -> scorer[0] = Scorer.load(model.modelBytes(), options(model, compiledTrees))));
        return scorer[0];
    }

    /** {@code n} rows of the model's input.csv, round and round, as columns. */
    private static Batch bigBatch(CorpusModel model, int n) {
        List<Map<String, Object>> records = model.inputRecords();
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(records.get(i % records.size()));
        }
        List<InputField> inputs = new ArrayList<>();
        for (String column : model.inputColumns()) {
            inputs.add(new InputField(column, ValueType.DOUBLE, List.of(), List.of(), InputField.MissingValueTreatment.MODEL_HANDLES));
        }
        return batchOf(rows, inputs);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aBigBatchIsStoppedAtTheCallTimeoutBetweenBlocksAndTheScorerStaysUsable() {
        CorpusModel model = CorpusModel.XGBOOST_MISSING_ONNX;
        ScorerOptions options = options(model, true).toBuilder().callTimeout(Duration.ofMillis(1)).build();
        Batch big = bigBatch(model, 300_000);
        try (Scorer scorer = Scorer.load(model.modelBytes(), options)) {
            assertTrue(engine(scorer).startsWith("compiled trees"), engine(scorer));

            ScoringTimeoutException e = assertThrows(ScoringTimeoutException.class, () -> scorer.score(big));

            assertEquals(1, e.timeoutMillis());
            assertTrue(e.getMessage().startsWith("scoring 300000 row(s) with ") && e.getMessage().endsWith(
                    " was stopped at the call timeout of 1 ms (ScorerOptions.callTimeout)"), e.getMessage());
            ScorerOptions generous = options(model, true).toBuilder().callTimeout(Duration.ofMinutes(5)).build();
            try (Scorer patient = Scorer.load(model.modelBytes(), generous)) {
                Prediction first = patient.score(model.inputRecords().get(0));
                assertEquals(first.value(), patient.score(big).get(0).value(), 0d);
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void closeStopsCallsRunningPastItsWaitAndLaterCallsFailAsClosed() throws Exception {
        CorpusModel model = CorpusModel.XGBOOST_MISSING_ONNX;
        ScorerOptions options = options(model, true).toBuilder().closeTimeout(Duration.ZERO).build();
        Batch big = bigBatch(model, 500_000);
        Scorer scorer = Scorer.load(model.modelBytes(), options);
        assertTrue(engine(scorer).startsWith("compiled trees"), engine(scorer));
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Thread> callers = new ArrayList<>();
            List<Future<RuntimeException>> calls = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                calls.add(pool.submit(() -> {
                    synchronized (callers) {
                        callers.add(Thread.currentThread());
                    }
                    while (true) {
                        try {
                            scorer.score(big);
                        } catch (RuntimeException e) {
                            return e;
                        }
                    }
                }));
            }
            // the gate is what the threads do, not a time: every caller is inside the engine's row loop
            while (true) {
                List<Thread> seen;
                synchronized (callers) {
                    seen = List.copyOf(callers);
                }
                if (seen.size() == threads && seen.stream().allMatch(OnnxTreeModelTest::insideTheEngine)) {
                    break;
                }
                Thread.onSpinWait();
            }

            scorer.close();

            int stopped = 0;
            for (Future<RuntimeException> call : calls) {
                RuntimeException e = call.get(1, TimeUnit.MINUTES);
                IllegalStateException closed = assertInstanceOf(IllegalStateException.class, e);
                assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
                if (closed.getMessage().contains("was closed while this call ran (it ran past ScorerOptions.closeTimeout and was stopped)")) {
                    stopped++;
                }
            }
            assertTrue(stopped > 0, "some call was stopped by close()");
            IllegalStateException after = assertThrows(IllegalStateException.class, () -> scorer.score(model.inputRecords().get(0)));
            assertTrue(after.getMessage().contains("is closed"), after.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean insideTheEngine(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(OnnxTreeModel.class.getName()) && frame.getMethodName().equals("scoreRows")) {
                return true;
            }
        }
        return false;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void manyThreadsOnTheEngineGetTheAnswersOfOneThread() throws Exception {
        CorpusModel model = CorpusModel.IRIS_NOZIPMAP_ONNX;
        try (Scorer scorer = Scorer.load(model.modelBytes(), options(model, true))) {
            assertTrue(engine(scorer).startsWith("compiled trees"), engine(scorer));
            List<Map<String, Object>> records = model.inputRecords();
            List<List<Object>> alone = records.stream().map(r -> alone(scorer, r)).toList();
            List<List<Object>> together = exact(scorer, scorer.scoreAll(records));
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t * 17;
                    results.add(pool.submit(() -> {
                        start.await();
                        int checked = 0;
                        for (int round = 0; round < 5; round++) {
                            for (int i = 0; i < records.size(); i++) {
                                int r = (offset + i) % records.size();
                                assertEquals(alone.get(r), alone(scorer, records.get(r)), "row " + r);
                                checked++;
                            }
                            assertEquals(together, exact(scorer, scorer.scoreAll(records)));
                        }
                        return checked;
                    }));
                }
                for (Future<Integer> f : results) {
                    assertEquals(5 * records.size(), f.get(2, TimeUnit.MINUTES));
                }
            } finally {
                pool.shutdownNow();
            }
            assertFalse(together.isEmpty());
        }
    }

    @Test
    void aCoveredModelIsServedWithoutAnOnnxRuntimeSessionUnlessSwitchedOff() {
        CorpusModel model = CorpusModel.DIABETES_ONNX;
        dev.handoff.spi.ScorerProvider.ModelSource source = new dev.handoff.spi.ScorerProvider.ModelSource("diabetes.onnx",
                model.modelBytes(), "0".repeat(64));
        try (var engine = new OnnxScorerProvider().load(source, options(model, true))) {
            assertInstanceOf(OnnxTreeModel.class, engine);
        }
        try (var engine = new OnnxScorerProvider().load(source, options(model, false))) {
            assertInstanceOf(OnnxModel.class, engine);
        }
        source = new dev.handoff.spi.ScorerProvider.ModelSource("breast_cancer.onnx",
                CorpusModel.BREAST_CANCER_NOZIPMAP_ONNX.modelBytes(), "0".repeat(64));
        try (var engine = new OnnxScorerProvider().load(source, ScorerOptions.builder().runtime(OnnxOptions.builder()
                .featureNames(CorpusModel.BREAST_CANCER_NOZIPMAP_ONNX.inputColumns()).build()).build())) {
            assertInstanceOf(OnnxModel.class, engine);
        }
    }
}
