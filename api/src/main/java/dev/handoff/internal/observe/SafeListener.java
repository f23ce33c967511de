package dev.handoff.internal.observe;

import dev.handoff.InvalidInputException;
import dev.handoff.ModelInfo;
import dev.handoff.ScorerStats.RowFailureKind;
import dev.handoff.ScoringListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A user's {@link ScoringListener} that can never break a call: a failure of the listener is caught,
 * the first one logged as a WARN with its stack trace, later ones at DEBUG.
 */
public final class SafeListener implements ScoringListener {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringListener.class);

    private final ScoringListener delegate;
    private final AtomicBoolean warned = new AtomicBoolean();

    private SafeListener(ScoringListener delegate) {
        this.delegate = delegate;
    }

    /** {@code null} for {@link ScoringListener#NONE}, so that scorers skip event work. */
    public static SafeListener wrap(ScoringListener listener) {
        return listener == NONE ? null : new SafeListener(listener);
    }

    @Override
    public void modelLoaded(ModelInfo model, long loadNanos) {
        try {
            delegate.modelLoaded(model, loadNanos);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed("modelLoaded", e);
        }
    }

    @Override
    public void callFinished(ModelInfo model, int rows, int failedRows, long nanos) {
        try {
            delegate.callFinished(model, rows, failedRows, nanos);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed("callFinished", e);
        }
    }

    @Override
    public void callFailed(ModelInfo model, RuntimeException failure, long nanos) {
        try {
            delegate.callFailed(model, failure, nanos);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed("callFailed", e);
        }
    }

    @Override
    public void rowRejected(ModelInfo model, InvalidInputException failure, RowFailureKind kind) {
        try {
            delegate.rowRejected(model, failure, kind);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed("rowRejected", e);
        }
    }

    @Override
    public void reloadSucceeded(ModelInfo previous, ModelInfo current) {
        try {
            delegate.reloadSucceeded(previous, current);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed("reloadSucceeded", e);
        }
    }

    @Override
    public void reloadRejected(ModelInfo serving, String candidate, String reason) {
        try {
            delegate.reloadRejected(serving, candidate, reason);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed("reloadRejected", e);
        }
    }

    @Override
    public void shadowCompared(ModelInfo serving, ModelInfo candidate, boolean agreed, boolean candidateFailed) {
        try {
            delegate.shadowCompared(serving, candidate, agreed, candidateFailed);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed("shadowCompared", e);
        }
    }

    private void failed(String event, Throwable e) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("ScoringListener {} threw in {}; the call went on. Later failures of this listener are logged at DEBUG only",
                    delegate, event, e);
        } else {
            LOG.debug("ScoringListener {} threw in {}", delegate, event, e);
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
