package dev.handoff;

import dev.handoff.internal.observe.CallObserver;
import dev.handoff.internal.observe.SafeListener;
import dev.handoff.internal.observe.StatsRecorder;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.internal.LogText;
import dev.handoff.internal.StoppableEngine;
import dev.handoff.internal.bind.BoundRows;
import dev.handoff.internal.bind.InputBinder;
import dev.handoff.internal.shape.OutputSchema;
import dev.handoff.internal.shape.OutputShaper;
import dev.handoff.internal.shape.RuntimeOutput;
import dev.handoff.internal.shape.ShapedRows;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.ScoringEngine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Scorer} around a runtime's {@link ScoringEngine}. Every entry point runs one call the same
 * way, each stage once and forward: bind ({@link InputBinder}) → enter the {@link CallGuard} → run
 * the model → shape ({@link OutputShaper}) → exit → observe ({@link CallObserver}, only when stats
 * are on or a listener is set; otherwise nothing is measured and nothing is allocated for it).
 * {@link #close()} waits for in-flight calls so that native memory is never freed under a running call.
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

    private final ScoringEngine model;
    private final ModelInfo info;
    private final List<InputField> inputs;
    private final List<OutputField> outputs;
    private final List<String> classes;
    private final InputBinder binder;
    private final OutputShaper shaper;

    private final CallGuard guard;
    private final long closeTimeoutNanos;
    private final long callTimeoutNanos;
    /** The option that sets the deadline of a service's calls, as timeout messages name it. */
    private static final String CALL_TIMEOUT = "ScorerOptions.callTimeout";
    /** {@code null} when stats are off and the listener is NONE. */
    private final CallObserver observer;
    private final Optional<Verification> embeddedVerification;
    private final ModelRelease releaseOnce;
    private final Cleaner.Cleanable cleanable;

    DefaultScorer(ScoringEngine model, ScorerOptions options) {
        this(model, options, options.stats() ? new StatsRecorder() : null);
    }

    /** @param recorder the counters to record into (a {@link ReloadingScorer}'s, shared), or {@code null} for no stats */
    DefaultScorer(ScoringEngine model, ScorerOptions options, StatsRecorder recorder) {
        this.model = model;
        this.info = Objects.requireNonNull(model.info(), "info()");
        this.inputs = List.copyOf(model.inputs());
        this.outputs = List.copyOf(model.outputs());
        this.classes = List.copyOf(model.classes());
        if (info.task() == ModelTask.CLASSIFICATION && classes.isEmpty()) {
            throw new IllegalArgumentException("a classifier must declare its classes");
        }
        Map<String, InputField.ValueRange> ranges = Map.copyOf(model.declaredRanges());
        this.binder = new InputBinder(inputs, options, Set.copyOf(model.int32Inputs()), ranges, recorder != null);
        this.shaper = new OutputShaper(new OutputSchema(info.task(), classes, outputs), inputs);
        this.closeTimeoutNanos = options.closeTimeout().toNanos();
        this.callTimeoutNanos = options.callTimeout().toNanos();
        this.releaseOnce = new ModelRelease(model, info);
        this.guard = new CallGuard(this::release);
        SafeListener listener = options.safeListener();
        this.observer = recorder == null && listener == null ? null
                : new CallObserver(info, inputs, ranges, recorder, listener);
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
        Predictions ps = call(RECORD, record, observer, callTimeoutNanos, CALL_TIMEOUT);
        InvalidInputException failure = ps.failure(0);
        if (failure != null) {
            throw failure.thrownAgain();
        }
        return ps.get(0);
    }

    @Override
    public Predictions scoreAll(List<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        return call(RECORDS, records, observer, callTimeoutNanos, CALL_TIMEOUT);
    }

    @Override
    public Predictions score(Batch batch) {
        Objects.requireNonNull(batch, "batch");
        return call(BATCH, batch, observer, callTimeoutNanos, CALL_TIMEOUT);
    }

    private static final int RECORD = 0;
    private static final int RECORDS = 1;
    private static final int BATCH = 2;

    /**
     * The one call protocol of every entry point: bind, enter, run and shape, exit (with the fence that
     * keeps this scorer reachable under its own call), then observe. Timed from before binding.
     *
     * @param what {@link #RECORD}, {@link #RECORDS} or {@link #BATCH}, saying what {@code input} is
     * @param observer told of the call, or {@code null} (no stats, no listener, or a verification)
     * @param timeoutNanos the model call's deadline, from its start ({@code 0}: none)
     * @param setting the option that set it, for the timeout's message
     */
    @SuppressWarnings("unchecked")
    private Predictions call(int what, Object input, CallObserver observer, long timeoutNanos, String setting) {
        long started = observer == null ? 0 : System.nanoTime();
        BoundRows bound;
        try {
            bound = switch (what) {
                case RECORD -> binder.bindRecord((Map<String, ?>) input);
                case RECORDS -> binder.bindRecords((List<? extends Map<String, ?>>) input);
                default -> binder.bindBatch(((Batch) input).rowCount(), ((Batch) input).columns());
            };
        } catch (RuntimeException e) {
            if (observer != null) {
                observer.failed(e, System.nanoTime() - started); // a batch column that cannot be read
            }
            throw e;
        }
        enter();
        ShapedRows shaped;
        try {
            InputColumns columns = bound.columns();
            if (columns.rowCount() == 0) {
                shaped = shaper.none(bound);
            } else {
                RuntimeOutput output = shaper.newOutput(columns.rowCount());
                callModel(columns, output, timeoutNanos, setting);
                shaped = shaper.shape(bound, output, what == RECORD);
            }
        } catch (RuntimeException e) {
            if (observer != null) {
                observer.failed(e, System.nanoTime() - started);
            }
            throw e;
        } finally {
            guard.exit();
            Reference.reachabilityFence(this);
        }
        if (observer != null) {
            observer.finished(bound, shaped, System.nanoTime() - started);
        }
        return new Predictions(shaped);
    }

    /**
     * The model's answer, or {@link ScoringTimeoutException} when the call took longer than
     * {@code timeoutNanos}: runtimes that can be stopped ({@link StoppableEngine}: ONNX) stop at the deadline
     * themselves; every call (PMML's, and an ONNX call that ended just past it) is timed here, after the fact.
     */
    private void callModel(InputColumns columns, RuntimeOutput output, long timeoutNanos, String setting) {
        if (timeoutNanos <= 0) {
            scoreWithinContract(columns, output, timeoutNanos, setting); // no deadline: nothing to time
            return;
        }
        long started = System.nanoTime();
        scoreWithinContract(columns, output, timeoutNanos, setting);
        long took = System.nanoTime() - started;
        if (took > timeoutNanos) {
            throw new ScoringTimeoutException("scoring " + columns.rowCount() + " row(s) with " + info.source() + " took "
                    + took / 1_000_000 + " ms, more than the call timeout of " + timeoutNanos / 1_000_000 + " ms (" + setting + ")",
                    timeoutNanos / 1_000_000, null);
        }
    }

    /**
     * The runtime's call, with anything it throws outside Handoff's exception family (a runtime bug, a
     * library exception it did not expect) turned into a {@link ScoringException}, here and only here: a
     * caller never has to catch more than the documented types.
     */
    private void scoreWithinContract(InputColumns columns, RuntimeOutput output, long timeoutNanos, String setting) {
        try {
            if (model instanceof StoppableEngine stoppable) {
                stoppable.score(columns, output, timeoutNanos, setting);
            } else {
                model.score(columns, output);
            }
        } catch (HandoffException | IllegalStateException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new ScoringException("the " + info.format() + " runtime failed on " + columns.rowCount() + " row(s) of "
                    + LogText.safe(info.source()) + " (" + e + ")", e);
        }
    }

    private void enter() {
        if (!guard.enter()) {
            throw new IllegalStateException("the scorer for " + info.source() + " is closed");
        }
    }

    /**
     * Runs the cases without counting them in {@link #stats()} or telling the listener: they are not traffic.
     * Each model call is held to {@link ScorerOptions#callTimeout()}, as a service's calls are.
     */
    @Override
    public VerificationReport verify(Verification verification) {
        Objects.requireNonNull(verification, "verification");
        return verification.run(records -> call(RECORDS, records, null, callTimeoutNanos, CALL_TIMEOUT));
    }

    /**
     * As {@link #verify(Verification)}, held not to the call timeout but to one deadline for the whole
     * verification: a reload check's own ({@code ReloadingScorer.Builder.checkTimeout}).
     *
     * @param timeoutNanos the time the whole verification may take ({@code 0}: no limit)
     * @param setting the option that set it, for the timeout's message
     * @throws ScoringTimeoutException when it runs past that time
     */
    VerificationReport verify(Verification verification, long timeoutNanos, String setting) {
        long deadline = System.nanoTime() + timeoutNanos;
        return verification.run(records -> {
            long left = timeoutNanos == 0 ? 0 : deadline - System.nanoTime();
            if (timeoutNanos != 0 && left <= 0) {
                throw new ScoringTimeoutException("verifying " + info.source() + " took more than " + timeoutNanos / 1_000_000
                        + " ms (" + setting + ")", timeoutNanos / 1_000_000, null);
            }
            return call(RECORDS, records, null, left, setting);
        });
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
                    + "when the last of them returns", info.format(), LogText.safe(info.source()), left, closeTimeoutNanos / 1_000_000);
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

    @Override
    public String toString() {
        return "Scorer{" + info.format() + " " + info.task() + " " + info.source() + (guard.isClosing() ? ", closed" : "") + "}";
    }
}
