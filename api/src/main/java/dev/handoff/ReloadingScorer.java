package dev.handoff;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * <p><b>Change detection.</b> A check reads the file's real path (after symbolic links, so the
 * {@code ..data} link swap of a Kubernetes ConfigMap or a mounted volume counts), size and modification
 * time (and those of the {@link Builder#verificationFiles verification files}); when one of them changed
 * it reads the file and compares its SHA-256 with the serving model's, so a touched or re-copied file is
 * not reloaded. Checks run every {@link Builder#checkEvery interval} on
 * one daemon thread, or when {@link #reload()} is called.
 *
 * <p><b>The gate.</b> A candidate replaces the serving model only if it loads, has the same input names
 * and types and the same task, the same classes in the same order (unless
 * {@link Builder#allowClassChange(boolean)}), and passes the {@link Builder#verification verification}.
 * A candidate that fails leaves the serving model in place, logs one WARN with the reason, tells the
 * {@link ScoringListener#reloadRejected listener}, and is not tried again until the file (or a
 * verification file) changes.
 *
 * <p><b>The swap.</b> Atomic: a call runs entirely on the old model or entirely on the new one. Calls in
 * flight on the old model finish on it; it is closed when the last of them returns, so no call ever
 * sees a closed model. {@link #stats()} counts across reloads.
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
            REJECTED
        }
    }

    /** One model with the calls in flight on it; closing its guard closes the model after the last call. */
    private static final class Generation {
        final DefaultScorer scorer;
        final ServingModel serving;
        final CallGuard guard;

        Generation(DefaultScorer scorer, ServingModel serving) {
            this.scorer = scorer;
            this.serving = serving;
            this.guard = new CallGuard(scorer::close);
        }
    }

    /** What a check compares, per watched file: a change of any of these makes the model a candidate. */
    private record FileState(Path realPath, long size, long modifiedNanos, Object fileKey, String unreadable) {

        static FileState of(Path path) {
            try {
                Path real = path.toRealPath();
                BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
                return new FileState(real, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey(), null);
            } catch (NoSuchFileException e) {
                return new FileState(null, -1, 0, null, "the file does not exist");
            } catch (IOException e) {
                return new FileState(null, -1, 0, null, "the file cannot be read (" + e + ")");
            }
        }
    }

    private final Path path;
    /** The model file, then the verification files whose change also makes the model a candidate again. */
    private final List<Path> watched;
    private final ScorerOptions options;
    private final Supplier<Verification> verification;
    private final boolean allowClassChange;
    private final StatsRecorder recorder;
    private final SafeListener listener;
    private final long closeTimeoutNanos;
    private final ScheduledExecutorService checker;

    private final Object reloadLock = new Object();
    private volatile Generation current;
    private volatile boolean closed;
    /** Guarded by reloadLock. */
    private List<FileState> lastSeen;
    /** Guarded by reloadLock: the content of the last rejected candidate, not tried again until it changes. */
    private String lastRejectedKey;
    private ReloadResult lastRejection;
    private long versions;

    private ReloadingScorer(Builder b) {
        this.path = b.path;
        List<Path> files = new ArrayList<>();
        files.add(b.path);
        files.addAll(b.verificationFiles);
        this.watched = List.copyOf(files);
        this.options = b.options;
        this.verification = b.verification;
        this.allowClassChange = b.allowClassChange;
        this.recorder = options.stats() ? new StatsRecorder() : null;
        this.listener = options.safeListener();
        this.closeTimeoutNanos = options.closeTimeout().toNanos();
        synchronized (reloadLock) {
            lastSeen = states();
            byte[] bytes = read();
            DefaultScorer first = ModelLoader.load(path.toString(), bytes, options, recorder);
            String failure = verify(first);
            if (failure != null) {
                first.close();
                throw new ModelLoadException(path.toString(), first.info().format(), failure);
            }
            current = generation(first);
        }
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
     * waiting for the size or modification time to change: the content is always hashed. A candidate
     * that was rejected is not tried again (nor reported again) until its content or its verification
     * files change. Blocks while another reload runs, and until the calls in flight on a replaced model
     * have finished (at most {@link ScorerOptions#closeTimeout()}).
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public ReloadResult reload() {
        return check(true);
    }

    /** The model that serves now. */
    public ServingModel serving() {
        return current.serving;
    }

    /** The model file this scorer watches. */
    public Path path() {
        return path;
    }

    private void scheduledCheck() {
        if (closed) {
            return;
        }
        try {
            check(false);
        } catch (RuntimeException | LinkageError e) {
            if (!closed) { // the schedule must survive anything; a rejection is already reported by check
                LOG.warn("Checking model file {} for a new version failed", path, e);
            }
        }
    }

    private ReloadResult check(boolean explicit) {
        synchronized (reloadLock) {
            if (closed) {
                throw new IllegalStateException("the reloading scorer for " + path + " is closed");
            }
            Generation serving = current;
            List<FileState> now = states();
            if (!explicit && now.equals(lastSeen)) {
                return new ReloadResult(ReloadResult.Outcome.UNCHANGED, "the files have not changed", serving.serving);
            }
            lastSeen = now;
            String unreadable = now.get(0).unreadable();
            byte[] bytes = null;
            if (unreadable == null) {
                try {
                    bytes = read();
                } catch (ModelLoadException e) {
                    unreadable = e.reason();
                }
            }
            if (unreadable != null) {
                return rejectOnce(serving, "unreadable: " + unreadable, unreadable, null);
            }
            String sha = ModelLoader.sha256(bytes);
            if (sha.equals(serving.serving.sha256())) {
                return new ReloadResult(ReloadResult.Outcome.UNCHANGED, "the file holds the serving model", serving.serving);
            }
            String key = sha + verificationFilesKey();
            if (key.equals(lastRejectedKey)) {
                return lastRejection; // the same candidate as before: not tried again, not reported again
            }
            DefaultScorer candidate;
            try {
                candidate = ModelLoader.load(path.toString(), bytes, options, recorder);
            } catch (ModelLoadException e) {
                return rejectOnce(serving, key, "it does not load: " + e.getMessage(), null);
            }
            String refusal = incompatibility(serving.scorer, candidate);
            if (refusal == null) {
                refusal = verify(candidate);
            }
            if (refusal != null) {
                return rejectOnce(serving, key, refusal, candidate);
            }
            Generation next = generation(candidate);
            current = next;
            lastRejectedKey = null;
            lastRejection = null;
            LOG.info("Reloaded model {}: version {} (sha256 {}) replaces version {} (sha256 {})", path, next.serving.version(),
                    shortSha(next.serving.sha256()), serving.serving.version(), shortSha(serving.serving.sha256()));
            retire(serving);
            if (listener != null) {
                listener.reloadSucceeded(serving.serving.info(), next.serving.info());
            }
            return new ReloadResult(ReloadResult.Outcome.RELOADED, "", next.serving);
        }
    }

    private List<FileState> states() {
        List<FileState> states = new ArrayList<>(watched.size());
        for (Path file : watched) {
            states.add(FileState.of(file));
        }
        return states;
    }

    /** The content of the verification files, so that a candidate is tried again when they change. */
    private String verificationFilesKey() {
        StringBuilder key = new StringBuilder();
        for (Path file : watched.subList(1, watched.size())) {
            try {
                key.append(' ').append(ModelLoader.sha256(Files.readAllBytes(file)));
            } catch (IOException e) {
                key.append(" unreadable");
            }
        }
        return key.toString();
    }

    /** Rejects a candidate, unless it is the one rejected last (then nothing is logged or told again). */
    private ReloadResult rejectOnce(Generation serving, String key, String reason, DefaultScorer candidate) {
        if (key.equals(lastRejectedKey)) {
            if (candidate != null) {
                candidate.close();
            }
            return lastRejection;
        }
        lastRejectedKey = key;
        return reject(serving, reason, candidate);
    }

    private ReloadResult reject(Generation serving, String reason, DefaultScorer candidate) {
        if (candidate != null) {
            candidate.close();
        }
        LOG.warn("Model {} was not reloaded: {}. Version {} (sha256 {}) keeps serving; the file is tried again when it changes",
                path, reason, serving.serving.version(), shortSha(serving.serving.sha256()));
        if (listener != null) {
            listener.reloadRejected(serving.serving.info(), path.toString(), reason);
        }
        lastRejection = new ReloadResult(ReloadResult.Outcome.REJECTED, reason, serving.serving);
        return lastRejection;
    }

    /** Why the candidate cannot replace the serving model's callers' expectations, or {@code null}. */
    private String incompatibility(Scorer serving, Scorer candidate) {
        List<String> problems = new ArrayList<>();
        if (serving.info().task() != candidate.info().task()) {
            problems.add("its task is " + candidate.info().task() + ", not " + serving.info().task());
        }
        Map<String, InputField> old = byName(serving.inputs());
        Map<String, InputField> now = byName(candidate.inputs());
        List<String> removed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (String name : old.keySet()) {
            if (!now.containsKey(name)) {
                removed.add(name);
            }
        }
        for (String name : now.keySet()) {
            if (!old.containsKey(name)) {
                added.add(name);
            }
        }
        if (!removed.isEmpty()) {
            problems.add("it lacks the inputs " + removed);
        }
        if (!added.isEmpty()) {
            problems.add("it has the new inputs " + added);
        }
        old.forEach((name, field) -> {
            InputField other = now.get(name);
            if (other != null && (other.type() != field.type() || !other.shape().equals(field.shape()))) {
                problems.add("input '" + name + "' is " + describe(other) + ", not " + describe(field));
            }
        });
        if (!allowClassChange && !serving.classes().equals(candidate.classes())) {
            problems.add("its classes are " + candidate.classes() + ", not " + serving.classes()
                    + " (allowClassChange(true) accepts a change)");
        }
        return problems.isEmpty() ? null : "it is not compatible with the serving model: " + String.join("; ", problems);
    }

    private static String describe(InputField field) {
        return field.type() + (field.isScalar() ? "" : " of shape " + field.shape());
    }

    private static Map<String, InputField> byName(List<InputField> fields) {
        Map<String, InputField> map = new LinkedHashMap<>();
        fields.forEach(f -> map.put(f.name(), f));
        return map;
    }

    /** Why the model fails the verification, or {@code null} when it passes or there is none. */
    private String verify(DefaultScorer model) {
        if (verification == null) {
            return null;
        }
        Verification cases;
        try {
            cases = Objects.requireNonNull(verification.get(), "the verification supplier returned null");
        } catch (RuntimeException e) {
            return "its verification cases cannot be read: " + e.getMessage();
        }
        VerificationReport report = model.verify(cases);
        return report.passed() ? null : "it fails its verification: " + report.summary();
    }

    private byte[] read() {
        try {
            long size = Files.size(path);
            if (size > options.maxModelBytes()) {
                throw new ModelLoadException(path.toString(), null, "the model has " + size + " bytes, more than maxModelBytes ("
                        + options.maxModelBytes() + ")");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(path.toString(), null, "the file does not exist", e);
        } catch (IOException e) {
            throw new ModelLoadException(path.toString(), null, "the file cannot be read (" + e + ")", e);
        }
    }

    private Generation generation(DefaultScorer scorer) {
        long version = ++versions;
        Instant loadedAt = Instant.now();
        ModelInfo base = scorer.info();
        Map<String, String> metadata = new LinkedHashMap<>(base.metadata());
        metadata.put(VERSION_KEY, Long.toString(version));
        metadata.put(LOADED_AT_KEY, loadedAt.toString());
        ModelInfo info = new ModelInfo(base.source(), base.format(), base.task(), base.producer(), base.description(), base.sha256(), metadata);
        return new Generation(scorer, new ServingModel(version, base.sha256(), loadedAt, info));
    }

    /** Closes a replaced model once the calls in flight on it have returned. */
    private void retire(Generation old) {
        long left = old.guard.close(closeTimeoutNanos);
        if (left > 0) {
            LOG.warn("Model {} version {}: {} call(s) still running {} ms after it was replaced; it is closed when the last "
                    + "of them returns", path, old.serving.version(), left, closeTimeoutNanos / 1_000_000);
        }
    }

    private static String shortSha(String sha) {
        return sha.substring(0, Math.min(12, sha.length()));
    }

    // ---- Scorer: every call on one generation ----

    /** Enters the serving generation; a generation retired between the read and the entry is skipped for its successor. */
    private Generation enter() {
        while (true) {
            Generation g = current;
            if (g.guard.enter()) {
                return g;
            }
            if (closed) {
                throw new IllegalStateException("the reloading scorer for " + path + " is closed");
            }
            // g was replaced and is closing: current already names its successor
        }
    }

    /** The serving model's description, with {@link #VERSION_KEY} and {@link #LOADED_AT_KEY} in its metadata. */
    @Override
    public ModelInfo info() {
        return current.serving.info();
    }

    @Override
    public List<InputField> inputs() {
        return current.scorer.inputs();
    }

    @Override
    public List<OutputField> outputs() {
        return current.scorer.outputs();
    }

    @Override
    public List<String> classes() {
        return current.scorer.classes();
    }

    @Override
    public Prediction score(Map<String, ?> record) {
        Generation g = enter();
        try {
            return g.scorer.score(record);
        } finally {
            g.guard.exit();
        }
    }

    @Override
    public Predictions scoreAll(List<? extends Map<String, ?>> records) {
        Generation g = enter();
        try {
            return g.scorer.scoreAll(records);
        } finally {
            g.guard.exit();
        }
    }

    @Override
    public Predictions score(Batch batch) {
        Generation g = enter();
        try {
            return g.scorer.score(batch);
        } finally {
            g.guard.exit();
        }
    }

    /** Verifies the serving model; not counted in {@link #stats()}. */
    @Override
    public VerificationReport verify(Verification verification) {
        Generation g = enter();
        try {
            return g.scorer.verify(verification);
        } finally {
            g.guard.exit();
        }
    }

    @Override
    public Optional<Verification> embeddedVerification() {
        return current.scorer.embeddedVerification();
    }

    /** Counted across every model this scorer has served, inputs as the serving model lists them. */
    @Override
    public ScorerStats stats() {
        return current.scorer.stats();
    }

    /** Stops checking, refuses new calls, and closes the serving model after the calls in flight. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (checker != null) {
            checker.shutdown(); // no interrupt: a check in progress must not see its file reads fail; later checks are cancelled
        }
        synchronized (reloadLock) { // a reload in progress finishes first; then current is final
            long left = current.guard.close(closeTimeoutNanos);
            if (left > 0) {
                current.scorer.stopRunningCalls();
                LOG.warn("Closing reloading scorer for {}: {} call(s) still running after {} ms were asked to stop; the model is "
                        + "closed when the last of them returns", path, left, closeTimeoutNanos / 1_000_000);
            }
        }
    }

    @Override
    public String toString() {
        ServingModel s = current.serving;
        return "ReloadingScorer{" + path + ", version " + s.version() + ", sha256 " + shortSha(s.sha256()) + (closed ? ", closed" : "") + "}";
    }

    /** Builds a {@link ReloadingScorer}; each setter checks its argument. */
    public static final class Builder {
        private final Path path;
        private ScorerOptions options = ScorerOptions.defaults();
        private Duration checkEvery;
        private Supplier<Verification> verification;
        private List<Path> verificationFiles = List.of();
        private boolean allowClassChange;

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
            this.verification = () -> cases;
            this.verificationFiles = List.of();
            return this;
        }

        /**
         * Golden cases read anew for each candidate, as the data scientist ships them with each model:
         * {@code () -> Verification.fromCsv(dir.resolve("input.csv"), dir.resolve("expected.csv"))}. A supplier
         * that throws rejects the candidate.
         */
        public Builder verification(Supplier<Verification> perCandidate) {
            this.verification = Objects.requireNonNull(perCandidate, "verification supplier");
            this.verificationFiles = List.of();
            return this;
        }

        /**
         * The data scientist's golden cases, read anew for each candidate with the default tolerances
         * ({@link Verification#fromCsv(Path, Path)}); a change of either file makes a rejected model a
         * candidate again, so the files may be dropped after the model.
         */
        public Builder verificationFiles(Path input, Path expected) {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(expected, "expected");
            this.verification = () -> Verification.fromCsv(input, expected);
            this.verificationFiles = List.of(input, expected);
            return this;
        }

        /** Whether a candidate may have other classes than the serving model. Default {@code false}. */
        public Builder allowClassChange(boolean allow) {
            this.allowClassChange = allow;
            return this;
        }

        /**
         * Loads the model in the file now.
         *
         * @throws ModelLoadException when it cannot be used or fails the verification
         */
        public ReloadingScorer build() {
            return new ReloadingScorer(this);
        }
    }
}
