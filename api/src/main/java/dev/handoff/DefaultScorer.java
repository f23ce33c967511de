package dev.handoff;

import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.LoadedModel;
import dev.handoff.spi.ScoredRows;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link Scorer} around a runtime's {@link LoadedModel}: binds input, shapes output, and makes
 * {@link #close()} wait for in-flight calls so that native memory is never freed under a running call.
 * When stats are on or a listener is set, a {@link CallObserver} sees each call; otherwise nothing
 * is measured and nothing is allocated for it.
 *
 * <p>A scorer dropped without {@link #close()} is found by a {@link Cleaner} once it has been
 * garbage-collected: its model (and native memory) is released then, with one WARN naming it, as
 * the leak detectors of Netty and OkHttp do. Each call fences {@code this} so that a scorer in use
 * is never found unreachable under its own call.
 */
final class DefaultScorer implements Scorer {
    private static final Logger LOG = LoggerFactory.getLogger(Scorer.class);
    /** One daemon thread for every scorer of the process. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final LoadedModel model;
    private final ModelInfo info;
    private final List<InputField> inputs;
    private final List<OutputField> outputs;
    private final List<String> classes;
    private final InputBinder binder;
    private final OutputShape shape;

    private final CallGuard guard;
    private final long closeTimeoutNanos;
    private final long callTimeoutNanos;
    /** {@code null} when stats are off and the listener is NONE. */
    private final CallObserver observer;
    private final Optional<Verification> embeddedVerification;
    private final Release releaseOnce;
    private final Cleaner.Cleanable cleanable;

    DefaultScorer(LoadedModel model, ScorerOptions options) {
        this(model, options, options.stats() ? new StatsRecorder() : null);
    }

    /** @param recorder the counters to record into (a {@link ReloadingScorer}'s, shared), or {@code null} for no stats */
    DefaultScorer(LoadedModel model, ScorerOptions options, StatsRecorder recorder) {
        this.model = model;
        this.info = Objects.requireNonNull(model.info(), "info()");
        this.inputs = List.copyOf(model.inputs());
        this.outputs = List.copyOf(model.outputs());
        this.classes = List.copyOf(model.classes());
        if (info.task() == ModelTask.CLASSIFICATION && classes.isEmpty()) {
            throw new IllegalArgumentException("a classifier must declare its classes");
        }
        this.binder = new InputBinder(inputs, options);
        this.shape = new OutputShape(info.task(), classes, outputs, inputs);
        this.closeTimeoutNanos = options.closeTimeout().toNanos();
        this.callTimeoutNanos = options.callTimeout().toNanos();
        this.releaseOnce = new Release(model, info);
        this.guard = new CallGuard(this::release);
        SafeListener listener = options.safeListener();
        this.observer = recorder == null && listener == null ? null
                : new CallObserver(info, inputs, Map.copyOf(model.declaredRanges()), recorder, listener);
        this.embeddedVerification = Objects.requireNonNull(model.embeddedVerification(), "embeddedVerification()");
        this.cleanable = CLEANER.register(this, releaseOnce);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<InputField> inputs() {
        return inputs;
    }

    @Override
    public List<OutputField> outputs() {
        return outputs;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public Prediction score(Map<String, ?> record) {
        Objects.requireNonNull(record, "record");
        Predictions ps = observer == null ? run(binder.bindRecord(record), true) : observed(record, null, null);
        InvalidInputException failure = ps.failure(0);
        if (failure != null) {
            throw failure;
        }
        return ps.get(0);
    }

    @Override
    public Predictions scoreAll(List<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        return observer == null ? run(binder.bindRecords(records), false) : observed(null, records, null);
    }

    @Override
    public Predictions score(Batch batch) {
        Objects.requireNonNull(batch, "batch");
        return observer == null ? run(binder.bindBatch(batch), false) : observed(null, null, batch);
    }

    /** The caller's rows scored as they are, without stats or events: the path of a scorer that records neither. */
    private Predictions run(BoundRows bound, boolean single) {
        enter();
        try {
            InputColumns columns = bound.columns();
            if (columns.rowCount() == 0) {
                return shape.none(bound);
            }
            return shape.shape(bound, callModel(columns), single);
        } finally {
            guard.exit();
            Reference.reachabilityFence(this);
        }
    }

    /** One of record, records or batch scored with the observer told: timed from before binding, every row's outcome. */
    private Predictions observed(Map<String, ?> record, List<? extends Map<String, ?>> records, Batch batch) {
        long started = System.nanoTime();
        BoundRows bound;
        try {
            bound = record != null ? binder.bindRecord(record) : records != null ? binder.bindRecords(records) : binder.bindBatch(batch);
        } catch (RuntimeException e) {
            observer.failed(e, System.nanoTime() - started); // a batch column that cannot be read
            throw e;
        }
        enter();
        Predictions predictions;
        ScoredRows scored = null;
        try {
            InputColumns columns = bound.columns();
            if (columns.rowCount() == 0) {
                predictions = shape.none(bound);
            } else {
                scored = callModel(columns);
                predictions = shape.shape(bound, scored, record != null);
            }
        } catch (RuntimeException e) {
            observer.failed(e, System.nanoTime() - started);
            throw e;
        } finally {
            guard.exit();
            Reference.reachabilityFence(this);
        }
        observer.finished(bound, scored, predictions, System.nanoTime() - started);
        return predictions;
    }

    /**
     * The model's answer, or {@link ScoringTimeoutException} when the call took longer than
     * {@link ScorerOptions#callTimeout()}: runtimes that can be stopped (ONNX) stop at the deadline
     * themselves; the others (PMML) are timed here, after the fact.
     */
    private ScoredRows callModel(InputColumns columns) {
        if (callTimeoutNanos == 0) {
            return scoreWithinContract(columns);
        }
        long started = System.nanoTime();
        ScoredRows scored = scoreWithinContract(columns);
        long took = System.nanoTime() - started;
        if (took > callTimeoutNanos) {
            throw new ScoringTimeoutException("scoring " + columns.rowCount() + " row(s) with " + info.source() + " took "
                    + took / 1_000_000 + " ms, more than the call timeout of " + callTimeoutNanos / 1_000_000
                    + " ms (ScorerOptions.callTimeout)", callTimeoutNanos / 1_000_000, null);
        }
        return scored;
    }

    /**
     * The runtime's call, with anything it throws outside Handoff's exception family (a runtime bug, a
     * library exception it did not expect) turned into a {@link ScoringException}: a caller never has to
     * catch more than the documented types.
     */
    private ScoredRows scoreWithinContract(InputColumns columns) {
        try {
            return model.score(columns);
        } catch (HandoffException | IllegalStateException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new ScoringException("the " + info.format() + " runtime failed on " + columns.rowCount() + " row(s) of "
                    + dev.handoff.internal.LogText.safe(info.source()) + " (" + e + ")", e);
        }
    }

    private void enter() {
        if (!guard.enter()) {
            throw new IllegalStateException("the scorer for " + info.source() + " is closed");
        }
    }

    /** Runs the cases without counting them in {@link #stats()} or telling the listener: they are not traffic. */
    @Override
    public VerificationReport verify(Verification verification) {
        Objects.requireNonNull(verification, "verification");
        return verification.run(records -> run(binder.bindRecords(records), false));
    }

    @Override
    public Optional<Verification> embeddedVerification() {
        return embeddedVerification;
    }

    @Override
    public ScorerStats stats() {
        return observer == null ? ScorerStats.none() : observer.snapshot();
    }

    /** Whether no call can enter any more (close has begun). */
    boolean isClosed() {
        return guard.isClosing();
    }

    /**
     * Refuses new calls at once, waits up to {@link ScorerOptions#closeTimeout()} for the calls in
     * flight, and frees the model once none is left. If some call is still running when the wait ends,
     * the model is freed when that call returns, never under it.
     */
    @Override
    public void close() {
        if (guard.isClosing()) {
            return;
        }
        long left = guard.close(closeTimeoutNanos);
        if (left > 0) {
            stopRunningCalls();
            LOG.warn("Closing {} model {}: {} call(s) still running after {} ms were asked to stop; the model is released "
                    + "when the last of them returns", info.format(), dev.handoff.internal.LogText.safe(info.source()), left, closeTimeoutNanos / 1_000_000);
        }
    }

    /** Asks the runtime to stop the calls running now (they then throw IllegalStateException, "closed"). */
    void stopRunningCalls() {
        model.stopRunningCalls();
    }

    private void release() {
        if (releaseOnce.run(false)) {
            cleanable.clean(); // deregisters; the action finds the model released and does nothing
        }
    }

    /**
     * Releases the model once: by {@link #close()} (INFO) or, for a scorer garbage-collected without
     * it, by the {@link #CLEANER} (WARN). Holds no reference to the scorer, or it would never be collected.
     */
    private static final class Release implements Runnable {
        private final LoadedModel model;
        private final ModelInfo info;
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

        Release(LoadedModel model, ModelInfo info) {
            this.model = model;
            this.info = info;
        }

        /** Run by the cleaner. */
        @Override
        public void run() {
            run(true);
        }

        /** @return whether this call released the model */
        boolean run(boolean leaked) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            String sha = info.sha256().substring(0, Math.min(12, info.sha256().length()));
            if (leaked) {
                LOG.warn("A scorer for {} model {} (sha256 {}) was garbage-collected without close(): releasing its model "
                        + "now. Close every scorer (try-with-resources, or the destroy method of its bean) to free its "
                        + "native memory when you are done with it", info.format(), dev.handoff.internal.LogText.safe(info.source()), sha);
            }
            try {
                model.close();
            } catch (RuntimeException e) {
                if (!leaked) {
                    throw e;
                }
                LOG.warn("Releasing the model of a garbage-collected scorer for {} failed: {}", dev.handoff.internal.LogText.safe(info.source()), e.toString());
                return true;
            }
            if (!leaked) {
                LOG.info("Closed {} model {} (sha256 {})", info.format(), dev.handoff.internal.LogText.safe(info.source()), sha);
            }
            return true;
        }
    }

    @Override
    public String toString() {
        return "Scorer{" + info.format() + " " + info.task() + " " + info.source() + (guard.isClosing() ? ", closed" : "") + "}";
    }
}
