package dev.handoff;

import dev.handoff.internal.LogText;
import dev.handoff.spi.ScoringEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Releases the model once: by {@link DefaultScorer#close()} (INFO) or, for a scorer garbage-collected without
 * it, by the scorer's {@link java.lang.ref.Cleaner} (WARN). Holds no reference to the scorer, or it would never be collected.
 */
final class ModelRelease implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Scorer.class);

    private final ScoringEngine model;
    private final ModelInfo info;
    private final AtomicBoolean done = new AtomicBoolean();

    ModelRelease(ScoringEngine model, ModelInfo info) {
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
                    + "native memory when you are done with it", info.format(), LogText.safe(info.source()), sha);
        }
        try {
            model.close();
        } catch (RuntimeException e) {
            if (!leaked) {
                throw e;
            }
            LOG.warn("Releasing the model of a garbage-collected scorer for {} failed: {}", LogText.safe(info.source()), e.toString());
            return true;
        }
        if (!leaked) {
            LOG.info("Closed {} model {} (sha256 {})", info.format(), LogText.safe(info.source()), sha);
        }
        return true;
    }
}
