package dev.handoff.pmml;

import dev.handoff.InvalidInputException;
import dev.handoff.OutputField;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every covered PMML tree file of the corpus gives, through the compiled tree engine, exactly JPMML-Evaluator's
 * answers: on every row of its {@code input.csv} and on fuzzed rows (missing values, NaN, signed zeros, subnormals,
 * infinities, huge values, every threshold of the document and one ulp either side in float and in double, unseen
 * categories and other text), a
 * scorer with {@code compiledTrees(true)} and one with {@code compiledTrees(false)} agree bit for bit on every output,
 * or fail the row with the same message.
 */
class PmmlTreeEngineParityTest {
    /** Unseen categories, near misses of seen ones, blanks, and numbers as text. */
    private static final List<String> STRINGS = List.of("zzz-unseen", "", " ", "basic ", "Basic", "PLUS", "premium", "east",
            "NaN", "1e3", "-0", "0.5");
    private static final Pattern THRESHOLD = Pattern.compile("value=\"([-+0-9.eE]+)\"");

    static Stream<CorpusModel> coveredModels() {
        return Stream.of(CorpusModel.values()).filter(m -> !m.isOnnx()).filter(PmmlTreeEngineParityTest::covered);
    }

    static boolean covered(CorpusModel model) {
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            return scorer.info().metadata().get(TreeEngines.METADATA_KEY).startsWith("compiled trees");
        }
    }

    @ParameterizedTest
    @MethodSource("coveredModels")
    void corpusRowsAgreeBitForBitWithJpmml(CorpusModel model) {
        List<Map<String, Object>> records = model.inputRecords();
        compare(model, records, true);
    }

    @ParameterizedTest
    @MethodSource("coveredModels")
    void fuzzedRowsAgreeBitForBitWithJpmml(CorpusModel model) {
        compare(model, fuzzedRows(model, 20_000, 14), false);
    }

    /** One thread's scratch grows with the calls it makes: small calls first, then larger, then small again. */
    @ParameterizedTest
    @MethodSource("coveredModels")
    void callsOfGrowingSizesOnOneScorerAgreeWithJpmml(CorpusModel model) {
        List<Map<String, Object>> records = fuzzedRows(model, 600, 21);
        try (Scorer compiled = Scorer.load(model.modelBytes(), ScorerOptions.builder().compiledTrees(true).build());
             Scorer jpmml = Scorer.load(model.modelBytes(), ScorerOptions.builder().compiledTrees(false).build())) {
            List<String> outputs = compiled.outputs().stream().map(OutputField::name).toList();
            int from = 0;
            for (int size : new int[] {1, 2, 5, 40, 1, 300, 3}) {
                List<Map<String, Object>> call = records.subList(from, from + size);
                Predictions a = compiled.scoreAll(call);
                Predictions b = jpmml.scoreAll(call);
                for (int r = 0; r < size; r++) {
                    EngineParity.same(model + " call of " + size + ", row " + r, outputs, a.get(r), b.get(r));
                }
                from += size;
            }
        }
    }

    static List<Map<String, Object>> fuzzedRows(CorpusModel model, int count, long seed) {
        List<Map<String, Object>> base = model.inputRecords();
        List<Double> specials = new ArrayList<>(List.of(0d, -0d, Double.MIN_VALUE, -Double.MIN_VALUE, (double) Float.MIN_VALUE,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e300, (double) Float.MAX_VALUE,
                Math.nextUp((double) Float.MAX_VALUE), -(double) Float.MAX_VALUE, 1e-300, Double.NaN, 1d, -1d));
        TreeSet<Double> thresholds = new TreeSet<>();
        Matcher m = THRESHOLD.matcher(new String(model.modelBytes(), StandardCharsets.UTF_8));
        while (m.find()) {
            try {
                double t = Double.parseDouble(m.group(1));
                float f = Float.parseFloat(m.group(1));
                thresholds.add(t);
                thresholds.add(Math.nextUp(t));
                thresholds.add(Math.nextDown(t));
                thresholds.add((double) f);
                thresholds.add((double) Math.nextUp(f));
                thresholds.add((double) Math.nextDown(f));
            } catch (NumberFormatException ignored) {
                // not a number
            }
        }
        List<Double> values = new ArrayList<>(thresholds);
        Random random = new Random(seed);
        List<String> columns = model.inputColumns();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> row = new LinkedHashMap<>(base.get(random.nextInt(base.size())));
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                String column = columns.get(random.nextInt(columns.size()));
                int kind = random.nextInt(10);
                if (kind == 0) {
                    row.remove(column);
                } else if (kind == 9) {
                    row.put(column, STRINGS.get(random.nextInt(STRINGS.size())));
                } else if (kind < 3 || values.isEmpty()) {
                    row.put(column, specials.get(random.nextInt(specials.size())));
                } else {
                    row.put(column, values.get(random.nextInt(values.size())));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /** Scores the rows through both engines, as one batch and (if asked) one record at a time, and compares. */
    static void compare(CorpusModel model, List<Map<String, Object>> records, boolean singleRows) {
        try (Scorer compiled = Scorer.load(model.modelBytes(), ScorerOptions.builder().compiledTrees(true).build());
             Scorer jpmml = Scorer.load(model.modelBytes(), ScorerOptions.builder().compiledTrees(false).build())) {
            assertTrue(compiled.info().metadata().get(TreeEngines.METADATA_KEY).startsWith("compiled trees"));
            assertEquals(TreeEngines.runtime(TreeEngines.SWITCHED_OFF), jpmml.info().metadata().get(TreeEngines.METADATA_KEY));
            assertEquals(jpmml.inputs(), compiled.inputs());
            assertEquals(jpmml.outputs(), compiled.outputs());
            assertEquals(jpmml.classes(), compiled.classes());
            Predictions a = compiled.scoreAll(records);
            Predictions b = jpmml.scoreAll(records);
            List<String> outputs = compiled.outputs().stream().map(OutputField::name).toList();
            for (int r = 0; r < records.size(); r++) {
                EngineParity.same(model + " row " + r + " " + records.get(r), outputs, a.get(r), b.get(r));
            }
            if (singleRows) {
                for (int r = 0; r < records.size(); r++) {
                    Map<String, Object> record = records.get(r);
                    Object x = outcome(compiled, record);
                    Object y = outcome(jpmml, record);
                    if (x instanceof Prediction p && y instanceof Prediction q) {
                        EngineParity.same(model + " single row " + r, outputs, p, q);
                    } else {
                        assertEquals(String.valueOf(y), String.valueOf(x), model + " single row " + r);
                    }
                }
            }
        }
    }

    private static Object outcome(Scorer scorer, Map<String, Object> record) {
        try {
            return scorer.score(record);
        } catch (InvalidInputException e) {
            return "failed: " + e.getMessage();
        }
    }

}
