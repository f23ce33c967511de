package dev.handoff;

import dev.handoff.spi.InputColumns;
import dev.handoff.spi.LoadedModel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link Scorer} around a runtime's {@link LoadedModel}: binds input, shapes output, and makes
 * {@link #close()} wait for in-flight calls so that native memory is never freed under a running call.
 */
final class DefaultScorer implements Scorer {
    private static final Logger LOG = LoggerFactory.getLogger(Scorer.class);

    private final LoadedModel model;
    private final ModelInfo info;
    private final List<InputField> inputs;
    private final List<OutputField> outputs;
    private final List<String> classes;
    private final InputBinder binder;
    private final OutputShape shape;

    private final CallGuard guard;
    private final long closeTimeoutNanos;

    DefaultScorer(LoadedModel model, ScorerOptions options) {
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
        this.guard = new CallGuard(this::release);
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
        Predictions ps = run(binder.bindRecord(record), true);
        InvalidInputException failure = ps.failure(0);
        if (failure != null) {
            throw failure;
        }
        return ps.get(0);
    }

    @Override
    public Predictions scoreAll(List<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        return run(binder.bindRecords(records), false);
    }

    @Override
    public Predictions score(Batch batch) {
        Objects.requireNonNull(batch, "batch");
        return run(binder.bindBatch(batch), false);
    }

    private Predictions run(BoundRows bound, boolean single) {
        if (!guard.enter()) {
            throw new IllegalStateException("the scorer for " + info.source() + " is closed");
        }
        try {
            InputColumns columns = bound.columns();
            if (columns.rowCount() == 0) {
                return shape.none(bound);
            }
            return shape.shape(bound, model.score(columns), single);
        } finally {
            guard.exit();
        }
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
            LOG.warn("Closing {} model {}: {} call(s) still running after {} ms; the model is released when the last "
                    + "of them returns", info.format(), info.source(), left, closeTimeoutNanos / 1_000_000);
        }
    }

    private void release() {
        model.close();
        LOG.info("Closed {} model {} (sha256 {})", info.format(), info.source(), info.sha256().substring(0, Math.min(12, info.sha256().length())));
    }

    @Override
    public String toString() {
        return "Scorer{" + info.format() + " " + info.task() + " " + info.source() + (guard.isClosing() ? ", closed" : "") + "}";
    }
}
