package dev.handoff;

import dev.handoff.internal.observe.SafeListener;
import dev.handoff.ReloadingScorer.ReloadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/**
 * The candidate pipeline of a {@link ReloadingScorer}, one check at a time: has a file changed, was it rejected
 * before, does it read, is it another model, does it pass the {@link CandidateGate}, does it agree while it
 * shadows ({@link CandidateTrial}); then the {@link ServingSwap} swaps it in, or it is rejected with one WARN
 * and one listener event. Every failure of a candidate ends here as a rejection, so checking goes on.
 */
final class ReloadCheck {
    /** The reloading scorer's own logger: its WARN and INFO lines are the scorer's. */
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingScorer.class);

    private final Path path;
    private final ScorerOptions options;
    private final SafeListener listener;
    private final ModelFileWatch watch;
    private final CandidateGate gate;
    private final ServingSwap swap;
    private final CandidateTrial.Rule shadowRule;
    /** One check at a time; never taken by a call or by close(). */
    private final Object checkLock = new Object();
    /** The candidate shadowing the serving model, if any; set and cleared under checkLock. */
    private volatile CandidateTrial trial;

    ReloadCheck(Path path, ScorerOptions options, ModelFileWatch watch, CandidateGate gate, ServingSwap swap,
                CandidateTrial.Rule shadowRule) {
        this.path = path;
        this.options = options;
        this.listener = options.safeListener();
        this.watch = watch;
        this.gate = gate;
        this.swap = swap;
        this.shadowRule = shadowRule;
    }

    /** One check of the files: nothing, a rejection, a trial, or a swap. */
    ReloadResult check(boolean explicit) {
        synchronized (checkLock) {
            if (swap.isClosed()) {
                throw swap.closedException();
            }
            ServingSwap.Generation serving = swap.current();
            if (trial != null) {
                return endTrialIfDone(serving, false);
            }
            List<ModelFileWatch.FileState> now = watch.states();
            if (!watch.changedSince(now) && !explicit) {
                return new ReloadResult(ReloadResult.Outcome.UNCHANGED, "the files have not changed", serving.serving);
            }
            ReloadResult before = watch.rejectedBefore(now);
            if (before != null) {
                return before; // the same files as the last rejected candidate: not tried again, not reported again
            }
            byte[] bytes;
            try {
                bytes = watch.readModel();
            } catch (GuardedFileReader.Refused e) {
                return reject(serving, now, "unreadable: " + e.reason(), e.retryable());
            } catch (Throwable e) { // an Error such as OutOfMemoryError: tried again when the file changes, not at every check
                return reject(serving, now, "unreadable: " + e, !(e instanceof Error));
            }
            if (ModelLoader.sha256(bytes).equals(serving.serving.sha256())) {
                watch.settled();
                return new ReloadResult(ReloadResult.Outcome.UNCHANGED, "the file holds the serving model", serving.serving);
            }
            CandidateGate.Verdict verdict = gate.check(serving.scorer, bytes);
            if (verdict instanceof CandidateGate.Rejected r) {
                return reject(serving, now, r.reason(), r.retryable());
            }
            if (!(verdict instanceof CandidateGate.Accepted accepted)) {
                throw swap.closedException(); // abandoned by close()
            }
            if (shadowRule != null) {
                trial = new CandidateTrial(serving.scorer, accepted.model(), shadowRule, options, now);
                if (swap.isClosed()) { // close() may have missed the trial
                    trial.end(false);
                    throw swap.closedException();
                }
                LOG.info("Model {} (sha256 {}) passed the gate and shadows version {} before it may serve", path,
                        shortSha(accepted.model().info().sha256()), serving.serving.version());
                return new ReloadResult(ReloadResult.Outcome.SHADOWING, "shadowing before it may serve", serving.serving);
            }
            return swapIn(accepted.model());
        }
    }

    /** Under checkLock: ends the trial when it is done (or {@code promote}), swapping in or rejecting its candidate. */
    private ReloadResult endTrialIfDone(ServingSwap.Generation serving, boolean promote) {
        CandidateTrial t = trial;
        if (!promote && !t.done()) {
            return new ReloadResult(ReloadResult.Outcome.SHADOWING, "shadowing: " + t.figures(), serving.serving);
        }
        boolean serves = promote || t.agreed();
        String figures = t.figures();
        trial = null;
        t.end(serves);
        if (serves) {
            LOG.info("Model {}: the shadowing candidate {}: {}", path, promote ? "is promoted by hand" : "agreed", figures);
            return swapIn(t.candidate());
        }
        return reject(serving, t.files(), "it did not agree with the serving model while shadowing: " + figures, false);
    }

    /** Under checkLock: swaps {@code candidate} in and logs and tells it. */
    private ReloadResult swapIn(DefaultScorer candidate) {
        ServingSwap.Generation next = swap.swapIn(candidate, (old, fresh) -> {
            LOG.info("Reloaded model {}: version {} (sha256 {}) replaces version {} (sha256 {})", path, fresh.serving.version(),
                    shortSha(fresh.serving.sha256()), old.serving.version(), shortSha(old.serving.sha256()));
            if (listener != null) {
                listener.reloadSucceeded(old.serving.info(), fresh.serving.info());
            }
        });
        if (next == null) {
            candidate.close();
            throw swap.closedException();
        }
        watch.settled();
        return new ReloadResult(ReloadResult.Outcome.RELOADED, "", next.serving);
    }

    /**
     * Rejects the candidate in {@code files}: one WARN and one listener event, unless these very files were
     * rejected last time.
     *
     * @throws IllegalStateException when close() has begun (nothing is said after it)
     */
    private ReloadResult reject(ServingSwap.Generation serving, List<ModelFileWatch.FileState> files, String reason, boolean retryable) {
        ReloadResult result = new ReloadResult(ReloadResult.Outcome.REJECTED, reason, serving.serving);
        boolean repeat = watch.rejectedLastTime(files);
        watch.rejected(files, result, retryable && !repeat); // tried once more, not at every check: each try is a load

        if (repeat) {
            return result;
        }
        boolean told = swap.announce(() -> {
            LOG.warn("Model {} was not reloaded: {}. Version {} (sha256 {}) keeps serving; the file is tried again {}", path, reason,
                    serving.serving.version(), shortSha(serving.serving.sha256()),
                    retryable ? "at the next check" : "when it changes");
            if (listener != null) {
                listener.reloadRejected(serving.serving.info(), path.toString(), reason);
            }
        });
        if (!told) {
            throw swap.closedException();
        }
        return result;
    }

    static String shortSha(String sha) {
        return sha.substring(0, Math.min(12, sha.length()));
    }

    /** Swaps the shadowing candidate in now, whatever its figures so far. */
    ReloadResult promote() {
        synchronized (checkLock) {
            if (swap.isClosed()) {
                throw swap.closedException();
            }
            return trial == null
                    ? new ReloadResult(ReloadResult.Outcome.UNCHANGED, "no candidate is shadowing", swap.current().serving)
                    : endTrialIfDone(swap.current(), true);
        }
    }

    /** The shadow that answers with {@code model} while a candidate shadows it, else null. */
    ShadowScorer shadowOf(DefaultScorer model) {
        CandidateTrial t = trial;
        return t == null ? null : t.shadowOf(model);
    }

    /** For close(): abandons the check in progress and ends a trial, without waiting for either. */
    void abandon() {
        gate.abandon();
        CandidateTrial t = trial;
        if (t != null) {
            t.end(false); // within the close timeout, whatever the candidate does
        }
    }
}
