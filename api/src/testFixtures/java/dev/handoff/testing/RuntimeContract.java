package dev.handoff.testing;

import dev.handoff.Batch;
import dev.handoff.InvalidInputException;
import dev.handoff.ModelFormat;
import dev.handoff.ModelInfo;
import dev.handoff.ModelLoadException;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.OutputField;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.ScorerStats.RowFailureKind;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.ScoringListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every runtime promises through {@link Scorer}, run against the runtime's models of the parity corpus: the same
 * answers under many threads, {@code close()} racing calls in flight, load/close cycles, the row outcomes of a list
 * and of a {@link Batch}, the listener's events, a truncated file, and a model's own text in the load line. A runtime
 * module runs it with a thin subclass that says which format it scores and how to make a model with a given producer:
 *
 * <pre>{@code
 * class PmmlRuntimeContractTest extends RuntimeContract {
 *     PmmlRuntimeContractTest() { super(ModelFormat.PMML, "not well-formed: line"); }
 *     protected byte[] modelProducedBy(String producer) { ... }
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RuntimeContract {
    private static final int THREADS = 8;

    private final ModelFormat format;
    private final String truncatedFileProblem;

    /**
     * @param format               the format this runtime scores: its models of the corpus are the ones tested
     * @param truncatedFileProblem what the load error says about a model file cut in half (after the file's name)
     */
    protected RuntimeContract(ModelFormat format, String truncatedFileProblem) {
        this.format = format;
        this.truncatedFileProblem = truncatedFileProblem;
    }

    private ModelFormat format() {
        return format;
    }

    /** A small regression model of this runtime whose producer (as {@link ModelInfo#producer()} starts) is {@code producer}. */
    protected abstract byte[] modelProducedBy(String producer);

    /** The producer that the load line shows for {@link #modelProducedBy}; a runtime may append the producer's version. */
    protected String loggedProducer(String producer) {
        return producer;
    }

    /** The options a service would load {@code model} with (an ONNX model of one tensor needs its feature names). */
    protected ScorerOptions.Builder options(CorpusModel model) {
        return ScorerOptions.builder();
    }

    /** The corpus models of this runtime's format. */
    protected final List<CorpusModel> corpus() {
        return Arrays.stream(CorpusModel.values()).filter(m -> m.isOnnx() == (format() == ModelFormat.ONNX)).toList();
    }

    /** The first corpus model of this runtime for a case of the shared corpus. */
    protected final CorpusModel model(String caseName) {
        return corpus().stream().filter(m -> m.caseName().equals(caseName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + format() + " model for " + caseName));
    }

    private Scorer load(CorpusModel model) {
        return Scorer.load(model.modelBytes(), options(model).build());
    }

    /** Everything a caller can read of one outcome, as text: equal texts, equal answers. */
    private static String answer(Scorer scorer, Prediction p) {
        if (p.failed()) {
            InvalidInputException e = p.failure().orElseThrow();
            return "failed row " + e.row() + " field " + e.field();
        }
        StringBuilder s = new StringBuilder();
        if (p.hasLabel()) {
            s.append("label ").append(p.label()).append(' ');
        }
        if (p.hasProbabilities()) {
            s.append("probabilities ").append(p.probabilities()).append(' ');
        }
        if (p.hasValue()) {
            s.append("value ").append(p.value()).append(' ');
        }
        for (OutputField o : scorer.outputs()) {
            s.append(o.name()).append('=').append(Arrays.deepToString(new Object[] {p.output(o.name())})).append(' ');
        }
        return s.toString();
    }

    private static List<String> answers(Scorer scorer, Predictions ps) {
        List<String> answers = new ArrayList<>();
        for (Prediction p : ps) {
            answers.add(answer(scorer, p));
        }
        return answers;
    }

    private static String answerAlone(Scorer scorer, Map<String, ?> record) {
        try {
            return answer(scorer, scorer.score(record));
        } catch (InvalidInputException e) {
            return "throws field " + e.field();
        }
    }


    @Test
    void concurrentCallersGetTheSameAnswersAsOneCaller() throws Exception {
        CorpusModel model = model("sklearn_churn_pipeline");
        List<Map<String, Object>> records = model.inputRecords();
        try (Scorer scorer = load(model)) {
            List<String> alone = records.stream().map(r -> answerAlone(scorer, r)).toList();
            List<String> together = answers(scorer, scorer.scoreAll(records));
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int offset = t * 25; // threads work on different rows at once
                    results.add(pool.submit(() -> {
                        start.await();
                        int checked = 0;
                        for (int round = 0; round < 3; round++) {
                            for (int i = 0; i < records.size(); i++) {
                                int r = (offset + i) % records.size();
                                assertEquals(alone.get(r), answerAlone(scorer, records.get(r)), "row " + r);
                                checked++;
                            }
                            assertEquals(together, answers(scorer, scorer.scoreAll(records)));
                        }
                        return checked;
                    }));
                }
                for (Future<Integer> f : results) {
                    assertEquals(3 * records.size(), f.get(2, TimeUnit.MINUTES));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void closeLetsCallsInFlightFinishAndRefusesLaterOnesWithIllegalState(CorpusModel model) throws Exception {
        List<Map<String, Object>> records = model.inputRecords();
        Scorer scorer = load(model);
        Predictions reference = scorer.scoreAll(records);
        if (model.expectedRows().stream().noneMatch(row -> row.get(0).isEmpty())) {
            assertFalse(reference.hasFailures(), "the framework predicted every row: " + reference.failures());
        }
        List<String> together = answers(scorer, reference);
        String first = answerAlone(scorer, records.get(0));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicInteger scored = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try {
            CountDownLatch running = new CountDownLatch(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    boolean counted = false;
                    while (true) {
                        try {
                            // a call that got in before close() runs to the end on a live model: every row, same answers
                            assertEquals(together, answers(scorer, scorer.scoreAll(records)));
                            assertEquals(first, answerAlone(scorer, records.get(0)));
                            scored.incrementAndGet();
                        } catch (IllegalStateException closed) {
                            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
                            refused.incrementAndGet();
                            return null;
                        } finally {
                            if (!counted) {
                                counted = true;
                                running.countDown();
                            }
                        }
                    }
                }));
            }
            assertTrue(running.await(1, TimeUnit.MINUTES));
            scorer.close();
            for (Future<?> w : workers) {
                w.get(1, TimeUnit.MINUTES); // rethrows anything but the clean IllegalStateException
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(THREADS, refused.get(), "every worker ends on the closed scorer's IllegalStateException");
        assertTrue(scored.get() >= THREADS, "each worker finished a call before close(): " + scored.get());
        IllegalStateException after = assertThrows(IllegalStateException.class, () -> scorer.score(records.get(0)));
        assertTrue(after.getMessage().contains("closed"), after.getMessage());
        scorer.close(); // idempotent
    }

    @Test
    void loadingAndClosingManyTimesKeepsScoring() {
        CorpusModel model = model("sklearn_churn_logreg");
        byte[] bytes = model.modelBytes();
        Map<String, Object> record = model.inputRecords().get(10);
        String expected = model.expectedRows().get(10).get(0);
        for (int i = 0; i < 200; i++) {
            try (Scorer scorer = Scorer.load(bytes, options(model).build())) {
                assertEquals(expected, scorer.score(record).label(), "iteration " + i);
            }
        }
    }


    @Test
    void truncatedFileIsRefusedAtLoadNamingTheFileAndFormat(@TempDir Path dir) throws IOException {
        CorpusModel model = model("sklearn_rf_iris");
        byte[] whole = model.modelBytes();
        Path truncated = dir.resolve("iris-truncated." + format().name().toLowerCase(Locale.ROOT));
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(truncated));
        assertEquals(format(), e.format());
        assertEquals(truncated.toString(), e.source());
        assertTrue(e.getMessage().contains(truncated.toString()) && e.getMessage().contains(truncatedFileProblem), e.getMessage());
    }

    private List<String> loadLines(String producer) {
        byte[] model = modelProducedBy(producer);
        return CapturedLog.linesWhile(() -> Scorer.load(model).close());
    }

    @Test
    void newlineInTheProducerNameCannotForgeALogLine() {
        String forged = "[main] INFO dev.handoff.Scorer - Loaded " + format() + " REGRESSION model forged";
        List<String> lines = loadLines("evil\n" + forged);
        List<String> loaded = lines.stream().filter(l -> l.contains("Loaded " + format())).toList();
        assertEquals(1, loaded.size(), lines.toString());
        assertTrue(loaded.get(0).contains("producer '" + loggedProducer("evil\\n" + forged) + "'"), loaded.get(0));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith(forged)), lines.toString());
    }

    @Test
    void hugeProducerNameMakesABoundedLogLine() {
        String producer = "P".repeat(20_000_000);
        List<String> lines = loadLines(producer);
        String loaded = lines.stream().filter(l -> l.contains("Loaded " + format())).findFirst().orElseThrow();
        assertTrue(loaded.length() < 1_000, "the load line has " + loaded.length() + " chars");
        assertTrue(loaded.contains("producer '" + "P".repeat(200) + "...(" + loggedProducer(producer).length() + " chars)'"),
                loaded.substring(0, 300));
    }


    /** Writes each event as a line. */
    private static final class Recording implements ScoringListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<ModelInfo> models = new CopyOnWriteArrayList<>();

        @Override
        public void modelLoaded(ModelInfo model, long loadNanos) {
            models.add(model);
            events.add("loaded " + model.format() + " " + model.task() + (loadNanos > 0 ? "" : ", no time"));
        }

        @Override
        public void callFinished(ModelInfo model, int rows, int failedRows, long nanos) {
            models.add(model);
            events.add("finished " + rows + " rows, " + failedRows + " failed" + (nanos > 0 ? "" : ", no time"));
        }

        @Override
        public void callFailed(ModelInfo model, RuntimeException failure, long nanos) {
            models.add(model);
            events.add("failed " + failure.getClass().getSimpleName());
        }

        @Override
        public void rowRejected(ModelInfo model, InvalidInputException failure, RowFailureKind kind) {
            models.add(model);
            events.add("rejected row " + failure.row() + " " + failure.field() + " " + kind);
        }
    }

    @Test
    void theListenerIsToldTheLoadOnceThenEveryCallWithItsRejectedRows() {
        CorpusModel model = model("sklearn_churn_pipeline");
        Recording listener = new Recording();
        Map<String, Object> bad = churnRecord(3);
        bad.put("monthly_charges", "n/a");
        try (Scorer scorer = Scorer.load(model.modelBytes(), options(model).listener(listener).build())) {
            assertEquals(List.of("loaded " + format() + " CLASSIFICATION"), listener.events);
            scorer.score(churnRecord(2));
            scorer.scoreAll(List.of(churnRecord(2), bad, churnRecord(4)));
            assertThrows(InvalidInputException.class, () -> scorer.score(bad));
            assertThrows(InvalidInputException.class, () -> scorer.score(Batch.builder(1).doubles("TENURE_MONTHS", new double[] {1}).build()));

            assertEquals(List.of("loaded " + format() + " CLASSIFICATION",
                    "finished 1 rows, 0 failed",
                    "rejected row 1 monthly_charges INVALID_INPUT", "finished 3 rows, 1 failed",
                    "rejected row -1 monthly_charges INVALID_INPUT", "finished 1 rows, 1 failed",
                    "failed InvalidInputException"), listener.events);
            for (ModelInfo told : listener.models) {
                assertEquals(scorer.info(), told, "every event names the scorer's model");
            }
        }
    }


    /** A record of the churn case, as a service might build it: numbers of several types, one as text. */
    public static Map<String, Object> churnRecord(int tenure) {
        Map<String, Object> record = new HashMap<>();
        record.put("tenure_months", tenure);
        record.put("monthly_charges", 60.23);
        record.put("total_charges", "759.35");
        record.put("support_calls", 2L);
        record.put("age", 54.0);
        record.put("plan", "plus");
        record.put("region", "north");
        record.put("payment_method", "card");
        return record;
    }

    @Test
    void badRecordsOfAListFailAloneWithTheirRowAndField() {
        Map<String, Object> unparseable = churnRecord(3);
        unparseable.put("monthly_charges", "n/a");
        Map<String, Object> noPlan = churnRecord(5);
        noPlan.remove("plan");
        Map<String, Object> nearMiss = churnRecord(7);
        nearMiss.put("TENURE_MONTHS", nearMiss.remove("tenure_months"));
        List<Map<String, Object>> records = List.of(churnRecord(2), unparseable, churnRecord(4), noPlan, churnRecord(6), nearMiss,
                churnRecord(8));
        CorpusModel model = model("sklearn_churn_pipeline");
        try (Scorer scorer = load(model)) {
            Predictions ps = scorer.scoreAll(records);
            assertEquals(7, ps.size());
            for (int r : new int[] {0, 2, 4, 6}) {
                assertFalse(ps.get(r).failed(), "row " + r);
                assertEquals(scorer.score(records.get(r)).probabilities(), ps.get(r).probabilities(), "row " + r);
                assertEquals(scorer.score(records.get(r)).label(), ps.labels()[r], "row " + r);
            }
            assertEquals(List.of(1, 3, 5), ps.failures().stream().map(InvalidInputException::row).toList());

            InvalidInputException notANumber = ps.get(1).failure().orElseThrow();
            assertEquals("monthly_charges", notANumber.field());
            assertEquals("n/a", notANumber.value());
            assertTrue(notANumber.getMessage().contains("row 1") && notANumber.getMessage().contains("not a number"),
                    notANumber.getMessage());

            InvalidInputException missingPlan = ps.get(3).failure().orElseThrow();
            assertEquals("plan", missingPlan.field());
            assertTrue(missingPlan.getMessage().contains("row 3") && missingPlan.getMessage().contains("missing"),
                    missingPlan.getMessage());

            InvalidInputException didYouMean = ps.get(5).failure().orElseThrow();
            assertTrue(didYouMean.getMessage().contains("row 5")
                    && didYouMean.getMessage().contains("'TENURE_MONTHS' (did you mean 'tenure_months'?)"), didYouMean.getMessage());

            String[] labels = ps.labels();
            double[] churn = ps.probabilities("1");
            for (int r : new int[] {1, 3, 5}) {
                assertNull(labels[r]);
                assertTrue(Double.isNaN(churn[r]));
                for (OutputField o : scorer.outputs()) {
                    assertNull(ps.outputs(o.name()).get(r), o.name());
                }
                int row = r;
                InvalidInputException thrown = assertThrows(InvalidInputException.class, () -> ps.get(row).label());
                assertEquals(row, thrown.row());
                InvalidInputException alone = assertThrows(InvalidInputException.class, () -> scorer.score(records.get(row)));
                assertEquals(-1, alone.row());
                assertEquals(ps.get(r).failure().orElseThrow().field(), alone.field());
            }
        }
    }

    @Test
    void badRowsOfABatchFailAloneWithTheirRowAndField() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            records.add(churnRecord(10 + r));
        }
        try (Scorer scorer = load(model("sklearn_churn_pipeline"))) {
            Batch batch = Batch.builder(5)
                    .doubles("tenure_months", new double[] {10, 11, 12, 13, 14})
                    .strings("monthly_charges", new String[] {"60.23", "n/a", "60.23", "60.23", "60.23"})
                    .strings("total_charges", new String[] {"759.35", "759.35", "759.35", "759.35", "759.35"})
                    .longs("support_calls", new long[] {2, 2, 2, 2, 2})
                    .doubles("age", new double[] {54, 54, 54, 54, 54})
                    .strings("plan", new String[] {"plus", "plus", "plus", null, "plus"})
                    .strings("region", new String[] {"north", "north", "north", "north", "north"})
                    .strings("payment_method", new String[] {"card", "card", "card", "card", "card"})
                    .build();
            Predictions ps = scorer.score(batch);
            assertEquals(5, ps.size());
            for (int r : new int[] {0, 2, 4}) {
                assertEquals(scorer.score(records.get(r)).probabilities(), ps.get(r).probabilities(), "row " + r);
            }
            List<InvalidInputException> failures = ps.failures();
            assertEquals(List.of(1, 3), failures.stream().map(InvalidInputException::row).toList());
            assertEquals(List.of("monthly_charges", "plan"), failures.stream().map(InvalidInputException::field).toList());
            assertTrue(failures.get(0).getMessage().contains("not a number"), failures.get(0).getMessage());
        }
    }

    @Test
    void nearMissColumnNameRejectsTheWholeBatch() {
        try (Scorer scorer = load(model("sklearn_churn_pipeline"))) {
            Batch batch = Batch.builder(1).doubles("TENURE_MONTHS", new double[] {10}).build();
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(batch));
            assertEquals(-1, e.row());
            assertTrue(e.getMessage().contains("'TENURE_MONTHS' (did you mean 'tenure_months'?)"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void emptyListOrBatchGivesEmptyPredictions(CorpusModel model) {
        try (Scorer scorer = load(model)) {
            for (Predictions ps : List.of(scorer.scoreAll(List.of()), scorer.score(Batch.builder(0).build()))) {
                assertEquals(0, ps.size());
                assertFalse(ps.hasFailures());
                assertEquals(List.of(), ps.failures());
                assertFalse(ps.iterator().hasNext());
                if (scorer.info().task() == ModelTask.CLASSIFICATION) {
                    assertArrayEquals(new String[0], ps.labels());
                } else if (scorer.info().task() == ModelTask.REGRESSION) {
                    assertArrayEquals(new double[0], ps.values());
                }
                for (OutputField o : scorer.outputs()) {
                    assertEquals(List.of(), ps.outputs(o.name()), o.name());
                }
            }
        }
    }
}
