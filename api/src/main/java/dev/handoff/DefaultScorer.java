package dev.handoff;

import dev.handoff.spi.InputColumns;
import dev.handoff.spi.LoadedModel;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The {@link Scorer} around a runtime's {@link LoadedModel}: binds input, shapes output, and makes
 * {@link #close()} wait for in-flight calls so that native memory is never freed under a running call.
 */
final class DefaultScorer implements Scorer {
    private final LoadedModel model;
    private final ModelInfo info;
    private final List<InputField> inputs;
    private final List<OutputField> outputs;
    private final List<String> classes;
    private final InputBinder binder;
    private final OutputShape shape;

    /** Scoring calls hold the read lock; close() takes the write lock, so it waits for them. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

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
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the scorer for " + info.source() + " is closed");
            }
            InputColumns columns = bound.columns();
            if (columns.rowCount() == 0) {
                return shape.none(bound);
            }
            return shape.shape(bound, model.score(columns), single);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            model.close();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Scorer{" + info.format() + " " + info.task() + " " + info.source() + (closed ? ", closed" : "") + "}";
    }
}
