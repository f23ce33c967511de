package dev.handoff.testing;

import dev.handoff.Batch;
import dev.handoff.InputField;
import dev.handoff.ModelLoadException;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.ScoringException;
import dev.handoff.internal.LogText;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Loads seeded mutants of corpus model files and scores the corpus rows with each one that loads,
 * on a few worker threads, with a watchdog for calls that never return.
 *
 * <pre>{@code
 * ModelFuzzing.Summary s = ModelFuzzing.run(List.of(CorpusModel.IRIS_PMML), 200, ModelMutator.Kind.XML,
 *         m -> ScorerOptions.defaults());
 * assertEquals(List.of(), s.violations());
 * }</pre>
 *
 * <p>Allowed outcomes: {@link ModelLoadException} at load, or a scorer whose calls return predictions,
 * throw {@link dev.handoff.InvalidInputException}, or throw {@link ScoringException} (the mutated
 * model fails on a record). Anything else escaping, at load or while scoring, is a violation; a case
 * running longer than the watchdog's limit is a hang, and its thread is abandoned (it cannot be
 * stopped), which is why hangs are reported rather than waited for.
 */
public final class ModelFuzzing {
    /** The mutations per file in the default build; {@code -Pfuzz} raises it through this property. */
    public static final String MUTATIONS_PROPERTY = "handoff.fuzz.mutations";
    /** How long one case may run before it counts as a hang. */
    public static final String CASE_TIMEOUT_PROPERTY = "handoff.fuzz.caseTimeoutSeconds";

    /** How a case ended. */
    public enum Outcome { REFUSED_AT_LOAD, SCORED, SCORING_FAILURE, VIOLATION, HUNG }

    /** One case that ended outside the contract. */
    public record Finding(CorpusModel model, long seed, String mutation, Outcome outcome, String what) {
        @Override
        public String toString() {
            return outcome + " " + model + " seed " + seed + " [" + mutation + "]: " + what;
        }
    }

    /** Counts per outcome, and every violation and hang. */
    public record Summary(Map<Outcome, Integer> counts, List<Finding> findings) {
        public List<Finding> violations() {
            return findings.stream().filter(f -> f.outcome() == Outcome.VIOLATION).toList();
        }

        public List<Finding> hangs() {
            return findings.stream().filter(f -> f.outcome() == Outcome.HUNG).toList();
        }

        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private ModelFuzzing() {
    }

    /** The number of mutations per file: {@value #MUTATIONS_PROPERTY}, default {@code defaultCount}. */
    public static int mutationsPerFile(int defaultCount) {
        return Integer.getInteger(MUTATIONS_PROPERTY, defaultCount);
    }

    /** The seed of mutation {@code i} of {@code model}: stable across runs, different per file. */
    public static long seed(CorpusModel model, int i) {
        return (long) model.ordinal() * 1_000_000L + i;
    }

    /**
     * @param models the corpus files to mutate
     * @param mutations mutations per file
     * @param kind whether textual (XML) operators apply
     * @param options the options to load each file's mutants with (as its parity test loads it)
     */
    public static Summary run(List<CorpusModel> models, int mutations, ModelMutator.Kind kind,
                              Function<CorpusModel, ScorerOptions> options) throws InterruptedException {
        List<Case> cases = new ArrayList<>();
        for (CorpusModel model : models) {
            byte[] original = model.modelBytes();
            List<Map<String, Object>> rows = model.inputRecords();
            List<Map<String, Object>> records = new ArrayList<>(rows.subList(0, Math.min(4, rows.size())));
            ScorerOptions loadOptions = options.apply(model);
            for (int i = 0; i < mutations; i++) {
                cases.add(new Case(model, seed(model, i), original, kind, records, loadOptions));
            }
        }
        return execute(cases, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
                TimeUnit.SECONDS.toNanos(Long.getLong(CASE_TIMEOUT_PROPERTY, 30)));
    }

    private record Case(CorpusModel model, long seed, byte[] original, ModelMutator.Kind kind,
                        List<Map<String, Object>> records, ScorerOptions options) {
        /** Runs the case; returns its outcome, with the finding for a violation. */
        Finding run(String[] mutation) {
            ModelMutator.Mutant mutant = ModelMutator.mutate(original, seed, kind);
            mutation[0] = mutant.description();
            Scorer scorer;
            try {
                scorer = Scorer.load(mutant.bytes(), options);
            } catch (ModelLoadException e) {
                return finding(Outcome.REFUSED_AT_LOAD, mutant, null);
            } catch (Throwable t) {
                return finding(Outcome.VIOLATION, mutant, "load threw " + describe(t));
            }
            boolean scoringFailure = false;
            try (scorer) {
                List<Throwable> escaped = new ArrayList<>();
                for (Map<String, Object> record : records) {
                    escaped.add(ScorerContract.scoreOne(scorer, record));
                }
                escaped.add(ScorerContract.scoreAll(scorer, records));
                escaped.add(ScorerContract.scoreBatch(scorer, batchOf(scorer, records)));
                for (Throwable t : escaped) {
                    if (t instanceof ScoringException) {
                        scoringFailure = true;
                    } else if (t != null) {
                        return finding(Outcome.VIOLATION, mutant, "scoring threw " + describe(t));
                    }
                }
            } catch (Throwable t) {
                return finding(Outcome.VIOLATION, mutant, "close threw " + describe(t));
            }
            return finding(scoringFailure ? Outcome.SCORING_FAILURE : Outcome.SCORED, mutant, null);
        }

        private Finding finding(Outcome outcome, ModelMutator.Mutant mutant, String what) {
            return new Finding(model, seed, mutant.description(), outcome, what);
        }
    }

    /** The records as string columns, one per scalar input the (mutated) scorer declares. */
    static Batch batchOf(Scorer scorer, List<Map<String, Object>> records) {
        Batch.Builder batch = Batch.builder(records.size());
        for (InputField field : scorer.inputs()) {
            if (!field.isScalar()) {
                continue;
            }
            String[] column = new String[records.size()];
            for (int r = 0; r < records.size(); r++) {
                Object v = records.get(r).get(field.name());
                column[r] = v == null ? null : v.toString();
            }
            batch.strings(field.name(), column);
        }
        return batch.build();
    }

    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(LogText.safe(t.toString(), 500));
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < Math.min(6, trace.length); i++) {
            sb.append("\n        at ").append(trace[i]);
        }
        if (t.getCause() != null && t.getCause() != t) {
            sb.append("\n      caused by ").append(LogText.safe(t.getCause().toString(), 500));
        }
        return sb.toString();
    }

    /** A worker thread that runs cases one after another; the watchdog replaces it if a case hangs. */
    private static final class Worker extends Thread {
        private final ConcurrentLinkedQueue<Integer> queue;
        private final List<Case> cases;
        private final Finding[] results;
        private final CountDownLatch done;
        volatile int current = -1;
        volatile long startedNanos;
        volatile String[] mutation = new String[1];
        volatile boolean abandoned;

        Worker(int id, ConcurrentLinkedQueue<Integer> queue, List<Case> cases, Finding[] results, CountDownLatch done) {
            super("model-fuzz-" + id);
            setDaemon(true);
            this.queue = queue;
            this.cases = cases;
            this.results = results;
            this.done = done;
        }

        @Override
        public void run() {
            Integer next;
            while (!abandoned && (next = queue.poll()) != null) {
                String[] described = new String[1];
                mutation = described;
                startedNanos = System.nanoTime();
                current = next;
                Finding f = cases.get(next).run(described);
                synchronized (results) {
                    if (abandoned) {
                        return; // the watchdog already reported this case as hung
                    }
                    current = -1;
                    results[next] = f;
                }
                done.countDown();
            }
        }
    }

    private static Summary execute(List<Case> cases, int threads, long caseTimeoutNanos) throws InterruptedException {
        ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < cases.size(); i++) {
            queue.add(i);
        }
        Finding[] results = new Finding[cases.size()];
        CountDownLatch done = new CountDownLatch(cases.size());
        List<Worker> workers = new ArrayList<>();
        AtomicInteger ids = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            Worker w = new Worker(ids.incrementAndGet(), queue, cases, results, done);
            workers.add(w);
            w.start();
        }
        while (!done.await(1, TimeUnit.SECONDS)) {
            for (int i = 0; i < workers.size(); i++) {
                Worker w = workers.get(i);
                int index = w.current;
                if (index >= 0 && System.nanoTime() - w.startedNanos > caseTimeoutNanos) {
                    synchronized (results) {
                        if (w.current != index) {
                            continue;
                        }
                        w.abandoned = true;
                        Case c = cases.get(index);
                        results[index] = new Finding(c.model(), c.seed(), String.valueOf(w.mutation[0]), Outcome.HUNG,
                                "still running after " + TimeUnit.NANOSECONDS.toSeconds(caseTimeoutNanos) + " s in "
                                        + describeStack(w));
                    }
                    done.countDown();
                    Worker replacement = new Worker(ids.incrementAndGet(), queue, cases, results, done);
                    workers.set(i, replacement);
                    replacement.start();
                }
            }
        }
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0);
        }
        List<Finding> findings = new ArrayList<>();
        for (Finding f : results) {
            counts.merge(f.outcome(), 1, Integer::sum);
            if (f.outcome() == Outcome.VIOLATION || f.outcome() == Outcome.HUNG) {
                findings.add(f);
            }
        }
        return new Summary(Collections.unmodifiableMap(counts), List.copyOf(findings));
    }

    private static String describeStack(Thread t) {
        StringBuilder sb = new StringBuilder();
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < Math.min(8, trace.length); i++) {
            sb.append("\n        at ").append(trace[i]);
        }
        return sb.toString();
    }
}
