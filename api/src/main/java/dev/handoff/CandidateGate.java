package dev.handoff;

import dev.handoff.internal.observe.StatsRecorder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Decides whether a candidate model may serve: it must load, be compatible with the serving model, and pass
 * the golden cases. Every way a check can end is a {@link Verdict}; nothing escapes, an {@link Error} and a
 * {@link ScoringTimeoutException} included, and a candidate that does not serve is always closed here.
 *
 * <pre>{@code
 * CandidateGate.Verdict verdict = gate.check(serving, bytes);
 * if (verdict instanceof CandidateGate.Accepted a) swap.swapIn(a.model(), ...);
 * else if (verdict instanceof CandidateGate.Rejected r) warnOnce(r.reason());
 * // Abandoned: close() began; nothing more is done or said
 * }</pre>
 *
 * <p><b>Verification time.</b> The golden cases are scored (in the library's chunks of
 * {@value RecordStream#CHUNK_ROWS}) under the check's own deadline, {@code ReloadingScorer.Builder.checkTimeout}
 * for the whole verification, not the per-request {@link ScorerOptions#callTimeout()}: a cold JIT and a large
 * set of cases take longer than a service's call, and say nothing of the model's speed. The candidate is loaded
 * once; only the deadline its verification calls carry differs (ONNX Runtime enforces it inside the model,
 * a PMML call is timed when it returns). A verification that runs past it rejects the candidate with
 * {@link Rejected#retryable()} set: the next check tries the same file once more.
 *
 * <p><b>Abandoning.</b> {@link #abandon()} (from {@code close()}) stops the candidate under check at once:
 * running calls are asked to stop and the candidate is closed on a daemon thread, so the verification's next
 * chunk is refused and the check ends as {@link Abandoned} without anyone waiting for it.
 */
final class CandidateGate {
    /** How a check ended. */
    sealed interface Verdict permits Accepted, Rejected, Abandoned {
    }

    /** The candidate may serve; the caller owns it now. */
    record Accepted(DefaultScorer model) implements Verdict {
    }

    /**
     * The candidate may not serve and is closed.
     *
     * @param retryable whether the same file is worth checking again even if nothing about it changes
     */
    record Rejected(String reason, boolean retryable) implements Verdict {
    }

    /** close() began during the check: the candidate is closed and nothing is to be said about it. */
    record Abandoned() implements Verdict {
    }

    private final String name;
    private final ScorerOptions options;
    private final StatsRecorder recorder;
    private final Supplier<Verification> verification;
    private final boolean allowClassChange;
    /** The time one candidate's verification may take; 0 for no limit. */
    private final long checkTimeoutNanos;
    private volatile boolean abandoned;
    /** The candidate under check, so that {@link #abandon()} can stop it. */
    private volatile DefaultScorer checking;

    /** The option that sets {@link #checkTimeoutNanos}, as timeout messages name it. */
    static final String CHECK_TIMEOUT = "ReloadingScorer.Builder.checkTimeout";

    CandidateGate(String name, ScorerOptions options, StatsRecorder recorder, Supplier<Verification> verification,
                  boolean allowClassChange, java.time.Duration checkTimeout) {
        this.name = name;
        this.options = options;
        this.recorder = recorder;
        this.verification = verification;
        this.allowClassChange = allowClassChange;
        this.checkTimeoutNanos = checkTimeout.toNanos();
    }

    /**
     * The first model, loaded and verified.
     *
     * @throws ModelLoadException when it does not load or fails its verification, however that failure shows
     *         (the model is closed first)
     */
    DefaultScorer first(byte[] bytes) {
        DefaultScorer model = ModelLoader.load(name, bytes, options, recorder);
        String refusal;
        Throwable cause = null;
        try {
            refusal = verify(model);
        } catch (Throwable e) { // a timeout, an Error: build() throws ModelLoadException and leaks nothing
            refusal = failure(e);
            cause = e;
        }
        if (refusal != null) {
            model.close();
            throw new ModelLoadException(name, model.info().format(), refusal, cause);
        }
        return model;
    }

    /** Loads {@code bytes} and checks the result against {@code serving}. Never throws. */
    Verdict check(Scorer serving, byte[] bytes) {
        DefaultScorer candidate = null;
        Verdict verdict = null;
        try {
            candidate = ModelLoader.load(name, bytes, options, recorder);
            checking = candidate;
            if (abandoned) {
                return verdict = new Abandoned();
            }
            String refusal = incompatibility(serving, candidate);
            if (refusal == null) {
                refusal = verify(candidate);
            }
            verdict = abandoned ? new Abandoned() : refusal != null ? new Rejected(refusal, false) : new Accepted(candidate);
        } catch (ModelLoadException e) {
            verdict = new Rejected("it does not load: " + e.getMessage(), false);
        } catch (Throwable e) {
            verdict = abandoned ? new Abandoned() : new Rejected(failure(e), e instanceof ScoringTimeoutException);
        } finally {
            checking = null;
            if (candidate != null && !(verdict instanceof Accepted)) {
                candidate.close();
            }
        }
        return verdict;
    }

    /** Ends the check in progress, if any, and every later one, without waiting for them. */
    void abandon() {
        abandoned = true;
        DefaultScorer candidate = checking;
        if (candidate != null) {
            candidate.stopRunningCalls();
            Thread closer = new Thread(candidate::close, "handoff-reload-abandon " + name);
            closer.setDaemon(true);
            closer.start();
        }
    }

    private String failure(Throwable e) {
        if (e instanceof ScoringTimeoutException timeout) {
            return "its verification ran past the check timeout of " + checkTimeoutNanos / 1_000_000 + " ms (" + CHECK_TIMEOUT
                    + "; " + timeout.getMessage() + "); the next check tries it once more";
        }
        return "checking it failed: " + e;
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
        for (String field : old.keySet()) {
            if (!now.containsKey(field)) {
                removed.add(field);
            }
        }
        for (String field : now.keySet()) {
            if (!old.containsKey(field)) {
                added.add(field);
            }
        }
        if (!removed.isEmpty()) {
            problems.add("it lacks the inputs " + removed);
        }
        if (!added.isEmpty()) {
            problems.add("it has the new inputs " + added);
        }
        old.forEach((field, was) -> {
            InputField other = now.get(field);
            if (other != null && (other.type() != was.type() || !other.shape().equals(was.shape()))) {
                problems.add("input '" + field + "' is " + describe(other) + ", not " + describe(was));
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

    /**
     * Why the model fails the verification, or {@code null} when it passes or there is none.
     *
     * @throws ScoringTimeoutException when the cases run past the check timeout (and any other failure of the run)
     */
    private String verify(DefaultScorer model) {
        if (verification == null) {
            return null;
        }
        Verification cases;
        try {
            cases = Objects.requireNonNull(verification.get(), "the verification supplier returned null");
        } catch (Throwable e) { // an unreadable file, a malformed one, or an OutOfMemoryError while reading it
            String message = e.getMessage();
            return "its verification cases cannot be read: " + (e instanceof RuntimeException && message != null ? message : e.toString());
        }
        VerificationReport report = model.verify(cases, checkTimeoutNanos, CHECK_TIMEOUT);
        return report.passed() ? null : "it fails its verification: " + report.summary();
    }
}
