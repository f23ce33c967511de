package dev.handoff.pmml.exports;

import dev.handoff.pmml.EngineParity;

import dev.handoff.InvalidInputException;
import dev.handoff.OutputField;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.TreeEngines;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real exports beside the corpus: small XGBoost and LightGBM models trained here by the real trainers (xgboost4j,
 * LightGBM's JNI build) on generated data with missing values and categorical features, converted in process by
 * the real converters (JPMML-XGBoost, JPMML-LightGBM). For each document, Handoff's compiled tree engine serves it
 * (the engine line says so), agrees bit for bit with JPMML-Evaluator on the training rows and on fuzzed rows, and
 * both agree with the trainer's own predictions within the trainer's float precision.
 *
 * <p>The trainers' native libraries come inside their jars (xgboost4j: Linux, macOS, Windows; lightgbmlib: Linux
 * x86-64 here, the LightGBM exports are skipped elsewhere). Each export prints one line with its engine line and
 * one with its agreement with the trainer; {@code HANDOFF_EXPORTS_DUMP=folder} keeps the documents there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealExportParityTest {
    private static final Pattern THRESHOLD = Pattern.compile("value=\"([-+0-9.eE]+)\"");
    private static final List<Object> SPECIALS = List.of(0d, -0d, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e300, -1e300, (double) Float.MAX_VALUE, 7, -1, 99, "zzz-unseen", "");

    private List<RealExport> exports;

    @BeforeAll
    void train() {
        exports = new ArrayList<>();
        exports.addAll(XgboostExports.all());
        if (LightGbmExports.available()) {
            exports.addAll(LightGbmExports.all());
        }
        String dump = System.getenv("HANDOFF_EXPORTS_DUMP"); // a folder to keep the converters' documents in
        if (dump != null) {
            for (RealExport e : exports) {
                try {
                    Files.write(Path.of(dump, e.name().replaceAll("[^A-Za-z0-9]+", "_") + ".pmml"), e.pmml());
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            }
        }
    }

    List<RealExport> exports() {
        return exports;
    }

    @ParameterizedTest
    @MethodSource("exports")
    void engineServesTheExport(RealExport export) {
        try (Scorer scorer = Scorer.load(export.pmml())) {
            String engine = scorer.info().metadata().get(TreeEngines.METADATA_KEY);
            System.out.println("ENGINE " + export.name() + " -> " + engine);
            if (export.declined() == null) {
                assertTrue(engine.startsWith("compiled trees"), export.name() + ": " + engine);
            } else {
                assertTrue(engine.startsWith("runtime (") && engine.contains(export.declined()), export.name() + ": " + engine);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("exports")
    void trainingAndFuzzedRowsAgreeBitForBitWithJpmml(RealExport export) {
        List<Map<String, Object>> rows = new ArrayList<>(export.records());
        rows.addAll(fuzzedRows(export, 1_000, 20));
        try (Scorer engine = Scorer.load(export.pmml());
             Scorer jpmml = Scorer.load(export.pmml(), ScorerOptions.builder().compiledTrees(false).build())) {
            assertEquals(jpmml.outputs(), engine.outputs());
            Predictions a = engine.scoreAll(rows);
            Predictions b = jpmml.scoreAll(rows);
            List<String> outputs = engine.outputs().stream().map(OutputField::name).toList();
            for (int r = 0; r < rows.size(); r++) {
                EngineParity.same(export + " row " + r + " " + rows.get(r), outputs, a.get(r), b.get(r));
            }
            // the training rows alone too: a call holding a missing value that a missing filter reads goes to JPMML whole
            Predictions c = engine.scoreAll(export.records());
            Predictions d = jpmml.scoreAll(export.records());
            for (int r = 0; r < export.records().size(); r++) {
                EngineParity.same(export + " training row " + r, outputs, c.get(r), d.get(r));
            }
            for (int r = 0; r < rows.size(); r += 10) {
                Object x = outcome(engine, rows.get(r));
                Object y = outcome(jpmml, rows.get(r));
                if (x instanceof Prediction p && y instanceof Prediction q) {
                    EngineParity.same(export + " single row " + r, outputs, p, q);
                } else {
                    assertEquals(String.valueOf(y), String.valueOf(x), export + " single row " + r);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("exports")
    void trainingRowsAgreeWithTheTrainer(RealExport export) {
        Assumptions.assumeFalse(Double.isNaN(export.tolerance()), "the converter's document disagrees with its trainer");
        try (Scorer scorer = Scorer.load(export.pmml())) {
            Predictions predictions = scorer.scoreAll(export.records());
            int exact = 0;
            double worst = 0;
            for (int r = 0; r < export.records().size(); r++) {
                Prediction p = predictions.get(r);
                assertTrue(!p.failed(), export + " row " + r + ": " + p);
                double[] expected = export.expected()[r];
                double[] actual = new double[expected.length];
                if (export.classes().isEmpty()) {
                    actual[0] = p.value();
                } else {
                    for (int k = 0; k < expected.length; k++) {
                        actual[k] = p.probability(export.classes().get(k));
                    }
                }
                boolean allExact = true;
                for (int k = 0; k < expected.length; k++) {
                    double error = Math.abs(actual[k] - expected[k]) / Math.max(1, Math.abs(expected[k]));
                    worst = Math.max(worst, error);
                    allExact &= (float) actual[k] == (float) expected[k];
                    if (error > export.tolerance()) {
                        fail(export + " row " + r + " " + export.records().get(r) + ": trainer " + expected[k]
                                + ", Handoff " + actual[k] + " (output " + k + ")");
                    }
                }
                exact += allExact ? 1 : 0;
            }
            System.out.println("TRAINER " + export.name() + ": " + exact + "/" + export.records().size()
                    + " rows equal in float, worst relative error " + worst);
        }
    }

    /** Training rows with one to three values replaced: thresholds of the document and one ulp either side (float and double), specials, absent keys, unseen categories, text. */
    static List<Map<String, Object>> fuzzedRows(RealExport export, int count, long seed) {
        TreeSet<Double> thresholds = new TreeSet<>();
        Matcher m = THRESHOLD.matcher(new String(export.pmml(), StandardCharsets.UTF_8));
        while (m.find()) {
            try {
                double t = Double.parseDouble(m.group(1));
                float f = (float) t;
                for (double v : new double[] {t, Math.nextUp(t), Math.nextDown(t), f, Math.nextUp(f), Math.nextDown(f)}) {
                    thresholds.add(v);
                }
            } catch (NumberFormatException ignored) {
                // not a number
            }
        }
        List<Double> values = new ArrayList<>(thresholds);
        Random random = new Random(seed);
        List<Map<String, Object>> base = export.records();
        List<String> columns = new ArrayList<>();
        base.forEach(r -> r.keySet().forEach(k -> {
            if (!columns.contains(k)) {
                columns.add(k);
            }
        }));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> row = new LinkedHashMap<>(base.get(random.nextInt(base.size())));
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                String column = columns.get(random.nextInt(columns.size()));
                int kind = random.nextInt(10);
                if (kind == 0) {
                    row.remove(column);
                } else if (kind < 3 || values.isEmpty()) {
                    row.put(column, SPECIALS.get(random.nextInt(SPECIALS.size())));
                } else {
                    row.put(column, values.get(random.nextInt(values.size())));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static Object outcome(Scorer scorer, Map<String, Object> record) {
        try {
            return scorer.score(record);
        } catch (InvalidInputException e) {
            return "failed: " + e.getMessage();
        }
    }

}
