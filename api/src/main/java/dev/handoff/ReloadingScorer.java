package dev.handoff;

import dev.handoff.internal.observe.StatsRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link Scorer} that serves the model in a file and takes a new one when the file changes, only if
 * the new one loads, has the same inputs and classes, and passes its golden cases. Built for the daily
 * retrain: the data scientist drops a new model (and its {@code input.csv} / {@code expected.csv}), the
 * service picks it up without a restart and without risk.
 *
 * <pre>{@code
 * Path dir = Path.of("/models/churn");
 * ReloadingScorer scorer = ReloadingScorer.builder(dir.resolve("model.onnx"))
 *         .checkEvery(Duration.ofMinutes(1))
 *         .verificationFiles(dir.resolve("input.csv"), dir.resolve("expected.csv"))
 *         .build();                            // the first model must load and verify, or this throws
 * Prediction p = scorer.score(record);         // always the serving model
 * scorer.serving();                            // version, sha256, load time of the serving model
 * }</pre>
 *
 * <p><b>Change detection.</b> A check looks at the file's real path (after symbolic links, so the
 * {@code ..data} link swap of a Kubernetes ConfigMap or a mounted volume counts), file key (inode), size,
 * modification and status-change times and permissions (and those of the {@link Builder#verificationFiles
 * verification files}), without opening anything; when one of them changed it reads the file and compares
 * its SHA-256 with the serving model's, so a touched or re-copied file is not reloaded. Checks run every
 * {@link Builder#checkEvery interval} on one daemon thread, or when {@link #reload()} is called.
 *
 * <p><b>Reading.</b> Every file goes through one guarded reader: a regular file only (a named pipe, a device or
 * a directory put in the model's place is refused by name without being opened), at most
 * {@link ScorerOptions#maxModelBytes()} counted while reading (a file that grows past it is refused), and one
 * consistent version (a file replaced or written to while it is read is refused and read again at the next
 * check). Nothing a file does can hold {@link #close()} or a scoring call.
 *
 * <p><b>The gate.</b> A candidate replaces the serving model only if it loads, has the same input names
 * and types and the same task, the same classes in the same order (unless
 * {@link Builder#allowClassChange(boolean)}), and passes the {@link Builder#verification verification}.
 * Every way a candidate can fail (it cannot be read, does not load, is incompatible, fails or cannot read its
 * golden cases, runs past {@link Builder#checkTimeout(Duration)} (not the per-request callTimeout), throws an
 * {@link Error} such as {@link OutOfMemoryError}) leaves the serving model in place, closes the candidate,
 * logs one WARN with the reason and tells the {@link ScoringListener#reloadRejected listener} once; checking
 * goes on. The same files are not tried again until one of them changes in any of the ways above
 * ({@code chmod 644} after a {@code chmod 000} included), except after an I/O failure or a timeout, which the
 * next check tries once more without saying so again.
 *
 * <p><b>The swap.</b> Atomic: a call runs entirely on the old model or entirely on the new one. Calls in
 * flight on the old model finish on it; it is closed when the last of them returns, so no call ever
 * sees a closed model. {@link #stats()} counts across reloads. {@link #close()} does not wait for a check
 * in progress: it abandons it, and nothing is swapped in or told after close() began.
 *
 * <p><b>Shadowing first.</b> With {@link Builder#shadowBeforeServing}, a candidate that passed the gate does not
 * serve at once: it scores a sample of the live calls beside the serving model (a {@link ShadowScorer}; the
 * calls are still answered by the serving model) until enough rows were compared or the time is up. The next
 * check then swaps it in if it agreed (the {@link ModelComparison} verdict over at least the minimum rows), and
 * otherwise rejects it with a WARN that gives the figures. {@link #promoteCandidate()} swaps it in at once.
 */
public final class ReloadingScorer implements Scorer {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingScorer.class);
    /** The {@link ModelInfo#metadata()} key of {@link ServingModel#version()}. */
    public static final String VERSION_KEY = "handoff.reload.version";
    /** The {@link ModelInfo#metadata()} key of {@link ServingModel#loadedAt()}. */
    public static final String LOADED_AT_KEY = "handoff.reload.loadedAt";

    /**
     * The model that serves now.
     *
     * @param version 1 for the model loaded at {@link Builder#build()}, one more for each accepted reload
     * @param sha256 the SHA-256 of its bytes
     * @param loadedAt when it was loaded
     * @param info its description ({@link ModelInfo#metadata()} carries the version and load time too)
     */
    public record ServingModel(long version, String sha256, Instant loadedAt, ModelInfo info) {
    }

    /**
     * What a {@link #reload()} did.
     *
     * @param outcome whether a new model serves
     * @param reason why a candidate was rejected, or why nothing changed
     * @param serving the model that serves after the reload
     */
    public record ReloadResult(Outcome outcome, String reason, ServingModel serving) {

        /** What a reload did. */
        public enum Outcome {
            /** A new model serves. */
            RELOADED,
            /** The file holds the serving model: nothing to do. */
            UNCHANGED,
            /** The candidate was refused; the serving model goes on serving. */
            REJECTED,
            /** The candidate passed the gate and shadows the serving model before it may serve. */
            SHADOWING
        }
    }

    private final Path path;
    private final ServingSwap swap;
    private final ReloadCheck checks;
    private final ScheduledExecutorService checker;

    private ReloadingScorer(Builder b) {
        this.path = b.path;
        ScorerOptions options = b.options;
        StatsRecorder recorder = options.stats() ? new StatsRecorder() : null; // shared by every model served
        CandidateGate gate = new CandidateGate(path.toString(), options, recorder, b.verification(), b.allowClassChange,
                b.checkTimeout);
        ModelFileWatch watch = new ModelFileWatch(path, b.verificationFiles, options.maxModelBytes());
        DefaultScorer first = gate.first(ModelBytes.read(path, options.maxModelBytes()));
        this.swap = new ServingSwap(path.toString(), first, options.closeTimeout().toNanos());
        this.checks = new ReloadCheck(path, options, watch, gate, swap, b.shadowRule);
        if (b.checkEvery != null) {
            String name = "handoff-reload " + path.getFileName();
            checker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
            long every = b.checkEvery.toNanos();
            checker.scheduleWithFixedDelay(this::scheduledCheck, every, every, TimeUnit.NANOSECONDS);
        } else {
            checker = null;
        }
    }

    /** A builder for a scorer of the model in {@code model}. */
    public static Builder builder(Path model) {
        return new Builder(model);
    }

    /**
     * Checks the file now and reloads it if it holds another model, as a scheduled check does but without
     * waiting for a file to change: the content is always read and hashed. A candidate that was rejected is
     * not tried again (nor reported again) until one of its files changes; after an I/O failure or a timeout
     * it is tried once more. Blocks while another check runs, and until the calls in flight on a replaced
     * model have finished (at most {@link ScorerOptions#closeTimeout()}).
     *
     * @throws IllegalStateException after {@link #close()}, or when close() began during this check (which is
     *         then abandoned: nothing swapped in, nothing told)
     */
    public ReloadResult reload() {
        return checks.check(true);
    }

    /** The model that serves now. */
    public ServingModel serving() {
        return swap.current().serving;
    }

    /** The model file this scorer watches. */
    public Path path() {
        return path;
    }

    private void scheduledCheck() {
        if (swap.isClosed()) {
            return;
        }
        try {
            checks.check(false);
        } catch (Throwable e) { // the schedule must survive anything: an exception here would cancel it for good
            if (!swap.isClosed()) {
                LOG.warn("Checking model file {} for a new version failed; the next check tries again", path, e);
            }
        }
    }

    /**
     * Swaps the shadowing candidate in now, whatever its figures so far: the manual promotion.
     *
     * @return {@link ReloadResult.Outcome#RELOADED}, or {@link ReloadResult.Outcome#UNCHANGED} when no candidate shadows
     * @throws IllegalStateException after {@link #close()}
     */
    public ReloadResult promoteCandidate() {
        return checks.promote();
    }

    /** The serving model's description, with {@link #VERSION_KEY} and {@link #LOADED_AT_KEY} in its metadata. */
    @Override
    public ModelInfo info() {
        return swap.current().serving.info();
    }

    @Override
    public List<InputField> inputs() {
        return swap.current().scorer.inputs();
    }

    @Override
    public List<OutputField> outputs() {
        return swap.current().scorer.outputs();
    }

    @Override
    public List<String> classes() {
        return swap.current().scorer.classes();
    }

    @Override
    public Prediction score(Map<String, ?> record) {
        return swap.call(model -> {
            ShadowScorer shadow = shadowOf(model);
            return shadow == null ? model.score(record) : shadow.score(record);
        });
    }

    @Override
    public Predictions scoreAll(List<? extends Map<String, ?>> records) {
        return swap.call(model -> {
            ShadowScorer shadow = shadowOf(model);
            return shadow == null ? model.scoreAll(records) : shadow.scoreAll(records);
        });
    }

    /** The shadow that answers with {@code model} while a candidate shadows it, else null. */
    private ShadowScorer shadowOf(DefaultScorer model) {
        return checks.shadowOf(model);
    }

    @Override
    public Predictions score(Batch batch) {
        return swap.call(model -> model.score(batch));
    }

    /** Verifies the serving model; not counted in {@link #stats()}. */
    @Override
    public VerificationReport verify(Verification verification) {
        return swap.call(model -> model.verify(verification));
    }

    @Override
    public Optional<Verification> embeddedVerification() {
        return swap.current().scorer.embeddedVerification();
    }

    /** Counted across every model this scorer has served, inputs as the serving model lists them. */
    @Override
    public ScorerStats stats() {
        return swap.current().scorer.stats();
    }

    /**
     * Stops checking, refuses new calls, and closes the serving model after the calls in flight; returns within
     * {@link ScorerOptions#closeTimeout()}. A check in progress is abandoned, not waited for: its candidate is
     * stopped and closed, it swaps nothing in and tells no one. Idempotent.
     */
    @Override
    public void close() {
        if (!swap.beginClose()) {
            return;
        }
        if (checker != null) {
            checker.shutdown(); // later checks are cancelled; the one in progress is abandoned just below
        }
        checks.abandon();
        swap.closeServing();
    }

    @Override
    public String toString() {
        ServingModel s = swap.current().serving;
        return "ReloadingScorer{" + path + ", version " + s.version() + ", sha256 " + ReloadCheck.shortSha(s.sha256())
                + (swap.isClosed() ? ", closed" : "") + "}";
    }

    /**
     * Builds a {@link ReloadingScorer}; each setter checks its argument. The golden cases come one way:
     * {@link #verification(Verification)}, {@link #verification(Supplier)} or {@link #verificationFiles}; a second
     * of them is refused rather than silently replacing the first.
     */
    public static final class Builder {
        /** {@link #checkTimeout}'s default: generous, since a check is no request a caller waits for. */
        private static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofMinutes(10);
        private final Path path;
        private ScorerOptions options = ScorerOptions.defaults();
        private Duration checkEvery;
        private Supplier<Verification> verification;
        /** Which verification setter was used, for the refusal of another one. */
        private String verificationSetter;
        private List<Path> verificationFiles = List.of();
        private boolean allowClassChange;
        private CandidateTrial.Rule shadowRule;
        private Duration checkTimeout = DEFAULT_CHECK_TIMEOUT;

        private Builder(Path path) {
            this.path = Objects.requireNonNull(path, "model path");
        }

        /** How every model is loaded and scored; also its listener and stats setting. */
        public Builder options(ScorerOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Checks the file for a new model this often, on a daemon thread. Without it, only {@link #reload()} checks. */
        public Builder checkEvery(Duration interval) {
            Objects.requireNonNull(interval, "checkEvery interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("checkEvery must be positive, got " + interval);
            }
            this.checkEvery = interval;
            return this;
        }

        /** Golden cases every model must pass before it serves (the first one included). */
        public Builder verification(Verification cases) {
            Objects.requireNonNull(cases, "verification");
            return verification("verification(Verification)", () -> cases, List.of());
        }

        /**
         * Golden cases read anew for each candidate, as the data scientist ships them with each model:
         * {@code () -> Verification.fromCsv(dir.resolve("input.csv"), dir.resolve("expected.csv"))}. A supplier
         * that throws (anything, an {@link Error} included) rejects the candidate.
         */
        public Builder verification(Supplier<Verification> perCandidate) {
            Objects.requireNonNull(perCandidate, "verification supplier");
            return verification("verification(Supplier)", perCandidate, List.of());
        }

        /**
         * The data scientist's golden cases, read anew for each candidate with the default tolerances
         * ({@link Verification#fromCsv(Path, Path)}); a change of either file makes a rejected model a
         * candidate again, so the files may be dropped after the model.
         */
        public Builder verificationFiles(Path input, Path expected) {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(expected, "expected");
            return verification("verificationFiles(Path, Path)", () -> Verification.fromCsv(input, expected), List.of(input, expected));
        }

        private Builder verification(String setter, Supplier<Verification> cases, List<Path> files) {
            if (verificationSetter != null && !verificationSetter.equals(setter)) {
                throw new IllegalStateException(setter + " cannot be combined with " + verificationSetter + ", called before: "
                        + "give the golden cases one way");
            }
            this.verificationSetter = setter;
            this.verification = cases;
            this.verificationFiles = files;
            return this;
        }

        Supplier<Verification> verification() {
            return verification;
        }

        /**
         * The time the golden cases of one model (each candidate, and the first model) may take to score,
         * all chunks together; {@link Duration#ZERO} for no limit. Default 10 minutes. The verification is not held to {@link ScorerOptions#callTimeout()}: that bounds a service's
         * request, while a check runs on a cold JIT and may have many cases. A model that runs past it is
         * rejected (a first model: {@link #build()} throws), and tried once more at the next check.
         */
        public Builder checkTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "checkTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("checkTimeout must not be negative, got " + timeout);
            }
            this.checkTimeout = timeout;
            return this;
        }

        /** Whether a candidate may have other classes than the serving model. Default {@code false}. */
        public Builder allowClassChange(boolean allow) {
            this.allowClassChange = allow;
            return this;
        }

        /**
         * Makes a candidate that passed the gate shadow the serving model before it serves: {@code sampleRate} of
         * the calls are also scored by it until {@code minimumRows} rows were compared or {@code maxDuration} has
         * passed; the next check then swaps it in only if {@code comparison} found that it agreed over at least
         * {@code minimumRows} rows, else rejects it with a WARN giving the figures. Needs {@link #checkEvery}
         * or calls of {@link #reload()} to end the shadowing; {@link ReloadingScorer#promoteCandidate()} ends it at once.
         */
        public Builder shadowBeforeServing(double sampleRate, long minimumRows, Duration maxDuration, ModelComparison comparison) {
            this.shadowRule = new CandidateTrial.Rule(sampleRate, minimumRows, maxDuration, comparison); // checks each argument
            return this;
        }

        /**
         * Loads the model in the file now.
         *
         * @throws ModelLoadException when it cannot be used or fails the verification, however that failure
         *         shows (a timeout, an {@link Error} while reading the cases); the model is closed first
         */
        public ReloadingScorer build() {
            return new ReloadingScorer(this);
        }
    }
}
