package dev.handoff;

import dev.handoff.internal.observe.SafeListener;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a model is loaded and how records are bound to its inputs. Immutable; build one with
 * {@link #builder()}, whose setters check each argument as it is given (naming it and the bad value);
 * no two settings exclude each other, so {@link Builder#build()} only copies.
 *
 * <pre>{@code
 * ScorerOptions options = ScorerOptions.builder()
 *         .unknownCategories(UnknownCategoryPolicy.ERROR)
 *         .runtime(OnnxOptions.builder()
 *                 .featureNames(List.of("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"))
 *                 .build())
 *         .build();
 * try (Scorer scorer = Scorer.load(Path.of("iris.onnx"), options)) { ... }
 * }</pre>
 */
public final class ScorerOptions {
    /** The largest model accepted by default: 1 GiB. */
    public static final long DEFAULT_MAX_MODEL_BYTES = 1L << 30;

    private static final ScorerOptions DEFAULTS = builder().build();

    private final boolean rejectMissingValues;
    private final UnknownCategoryPolicy unknownCategories;
    private final boolean strictKeys;
    private final List<String> classes;
    private final Map<ModelFormat, RuntimeOptions> runtimeOptions;
    private final long maxModelBytes;
    private final java.time.Duration closeTimeout;
    private final java.time.Duration callTimeout;
    private final boolean stats;
    private final boolean compiledTrees;
    private final ScoringListener listener;
    /** The listener as scorers call it: failures caught and logged once; {@code null} for NONE. */
    private final SafeListener safeListener;

    private ScorerOptions(Builder b) {
        this.rejectMissingValues = b.rejectMissingValues;
        this.strictKeys = b.strictKeys;
        this.unknownCategories = b.unknownCategories;
        this.classes = List.copyOf(b.classes);
        this.runtimeOptions = Map.copyOf(b.runtimeOptions);
        this.maxModelBytes = b.maxModelBytes;
        this.closeTimeout = b.closeTimeout;
        this.callTimeout = b.callTimeout;
        this.stats = b.stats;
        this.compiledTrees = b.compiledTrees;
        this.listener = b.listener;
        this.safeListener = SafeListener.wrap(b.listener);
    }

    /**
     * The defaults: missing values and unknown categories go to the model, which treats them as it
     * declares; record keys the model does not read are ignored; no feature names.
     */
    public static ScorerOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether every missing value ({@code null}, {@code NaN}, {@code ""} or an absent key) rejects its
     * record, for services that must never score an incomplete record. Off by default: a missing value
     * goes to the model wherever the input's {@link InputField#missingValues() treatment} allows it, so
     * the model's own treatment applies, as in the framework that trained it; a record is then rejected
     * only where the input is {@link InputField.MissingValueTreatment#NOT_ACCEPTED}, or when the model
     * gives no prediction for it.
     */
    public boolean rejectMissingValues() {
        return rejectMissingValues;
    }

    /**
     * Whether a record key (or batch column) that the model does not read rejects the record. Off by
     * default, since service records often carry other fields. Whatever this says, a key that matches
     * an absent input only up to case, {@code _}, {@code -}, {@code .} or spaces is rejected with a
     * "did you mean".
     */
    public boolean strictKeys() {
        return strictKeys;
    }

    /** What happens to a value outside an input's declared categories. Default {@link UnknownCategoryPolicy#AS_MODEL_DECLARES}. */
    public UnknownCategoryPolicy unknownCategories() {
        return unknownCategories;
    }

    /**
     * Class labels, in the order of the model's probability columns, for models that do not carry
     * them (a PyTorch classifier exported with softmax); empty when not set.
     */
    public List<String> classes() {
        return classes;
    }

    /** The formats whose runtime settings were given. */
    java.util.Set<ModelFormat> runtimeFormats() {
        return runtimeOptions.keySet();
    }

    /** The settings for {@code type}'s runtime, if they were given. */
    public <T extends RuntimeOptions> Optional<T> runtime(Class<T> type) {
        for (RuntimeOptions o : runtimeOptions.values()) {
            if (type.isInstance(o)) {
                return Optional.of(type.cast(o));
            }
        }
        return Optional.empty();
    }

    /** The largest model, in bytes, that {@link Scorer#load} reads. */
    public long maxModelBytes() {
        return maxModelBytes;
    }

    /**
     * How long {@link Scorer#close()} waits for calls in flight before it returns; a call still running
     * then releases the model when it returns. New calls are refused as soon as closing begins.
     * Default 30 seconds.
     */
    public java.time.Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * The longest one scoring call may run; {@link java.time.Duration#ZERO} (the default) for no limit.
     * An ONNX call still running at the deadline is stopped inside ONNX Runtime and throws
     * {@link ScoringTimeoutException}. A PMML call cannot be stopped (JPMML-Evaluator has no
     * interruption point): it runs to its end, then throws {@link ScoringTimeoutException} if it took
     * longer. No default limit, because the right one depends on the batch: a million-row
     * {@code scoreAll} legitimately runs for seconds, and a default that fails it would break
     * correct programs; the models known to run forever (cyclic trees) are refused at load instead.
     */
    public java.time.Duration callTimeout() {
        return callTimeout;
    }

    /**
     * Whether the scorer counts calls, rows, failures, latency and per-input values for
     * {@link Scorer#stats()}. On by default: it costs a few counter increments per call.
     */
    public boolean stats() {
        return stats;
    }

    /**
     * Whether a model that is wholly a tree ensemble (with preprocessing Handoff covers) is served by
     * Handoff's compiled tree engine, which gives the runtime's answers bit for bit, faster; on by default.
     * Off: the format's runtime (ONNX Runtime, JPMML-Evaluator) serves every model. Which engine serves a
     * model is in {@code ModelInfo.metadata()} under {@code handoff.engine}, in the load log line and in
     * {@code handoff inspect}.
     */
    public boolean compiledTrees() {
        return compiledTrees;
    }

    /** The listener told of loads, calls, rejected rows and reloads. Default {@link ScoringListener#NONE}. */
    public ScoringListener listener() {
        return listener;
    }

    /** {@link #listener()} as scorers call it, or {@code null} for {@link ScoringListener#NONE}. */
    SafeListener safeListener() {
        return safeListener;
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.rejectMissingValues = rejectMissingValues;
        b.strictKeys = strictKeys;
        b.unknownCategories = unknownCategories;
        b.classes = classes;
        b.runtimeOptions.putAll(runtimeOptions);
        b.maxModelBytes = maxModelBytes;
        b.closeTimeout = closeTimeout;
        b.callTimeout = callTimeout;
        b.stats = stats;
        b.compiledTrees = compiledTrees;
        b.listener = listener;
        return b;
    }

    @Override
    public String toString() {
        return "ScorerOptions{rejectMissingValues=" + rejectMissingValues + ", unknownCategories=" + unknownCategories
                + ", strictKeys=" + strictKeys
                + ", classes=" + classes + ", runtime=" + runtimeOptions.values()
                + ", maxModelBytes=" + maxModelBytes + ", closeTimeout=" + closeTimeout + ", callTimeout=" + callTimeout + ", stats=" + stats
                + ", compiledTrees=" + compiledTrees + ", listener=" + listener + '}';
    }

    /** Builds {@link ScorerOptions}; each setter checks its argument at once. */
    public static final class Builder {
        private boolean rejectMissingValues;
        private boolean strictKeys;
        private UnknownCategoryPolicy unknownCategories = UnknownCategoryPolicy.AS_MODEL_DECLARES;
        private List<String> classes = List.of();
        private final Map<ModelFormat, RuntimeOptions> runtimeOptions = new LinkedHashMap<>();
        private long maxModelBytes = DEFAULT_MAX_MODEL_BYTES;
        private java.time.Duration closeTimeout = java.time.Duration.ofSeconds(30);
        private java.time.Duration callTimeout = java.time.Duration.ZERO;
        private boolean stats = true;
        private boolean compiledTrees = true;
        private ScoringListener listener = ScoringListener.NONE;

        private Builder() {
        }

        /** See {@link ScorerOptions#rejectMissingValues()}. */
        public Builder rejectMissingValues(boolean reject) {
            this.rejectMissingValues = reject;
            return this;
        }

        /** See {@link ScorerOptions#strictKeys()}. */
        public Builder strictKeys(boolean strict) {
            this.strictKeys = strict;
            return this;
        }

        /** See {@link ScorerOptions#unknownCategories()}. */
        public Builder unknownCategories(UnknownCategoryPolicy policy) {
            this.unknownCategories = Objects.requireNonNull(policy, "unknownCategories policy");
            return this;
        }

        /** See {@link ScorerOptions#classes()}. Labels must be distinct and not blank. */
        public Builder classes(List<String> labels) {
            this.classes = distinctNonBlank("classes", labels);
            return this;
        }

        /** Settings for one runtime; a second call for the same format replaces the first. */
        public Builder runtime(RuntimeOptions options) {
            Objects.requireNonNull(options, "runtime options");
            ModelFormat format = Objects.requireNonNull(options.format(), "runtime options format()");
            runtimeOptions.put(format, options);
            return this;
        }

        /** The largest model accepted, in bytes (at least 1, at most {@code Integer.MAX_VALUE - 8}). */
        public Builder maxModelBytes(long bytes) {
            if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxModelBytes must be between 1 and " + (Integer.MAX_VALUE - 8) + ", got " + bytes);
            }
            this.maxModelBytes = bytes;
            return this;
        }

        /** See {@link ScorerOptions#closeTimeout()}; zero or more. */
        public Builder closeTimeout(java.time.Duration timeout) {
            Objects.requireNonNull(timeout, "closeTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, got " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** See {@link ScorerOptions#callTimeout()}; zero (no limit) or more. */
        public Builder callTimeout(java.time.Duration timeout) {
            Objects.requireNonNull(timeout, "callTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("callTimeout must not be negative, got " + timeout);
            }
            this.callTimeout = timeout;
            return this;
        }

        /** See {@link ScorerOptions#stats()}. */
        public Builder stats(boolean record) {
            this.stats = record;
            return this;
        }

        /** See {@link ScorerOptions#compiledTrees()}. */
        public Builder compiledTrees(boolean on) {
            this.compiledTrees = on;
            return this;
        }

        /** See {@link ScorerOptions#listener()}. */
        public Builder listener(ScoringListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener (use ScoringListener.NONE for none)");
            return this;
        }

        /** The options set so far (each already checked by its setter). */
        public ScorerOptions build() {
            return new ScorerOptions(this);
        }

        private static List<String> distinctNonBlank(String what, List<String> values) {
            Objects.requireNonNull(values, what);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < values.size(); i++) {
                String v = values.get(i);
                if (v == null || v.isBlank()) {
                    throw new IllegalArgumentException(what + "[" + i + "] must not be null or blank, got " + (v == null ? "null" : "'" + v + "'"));
                }
                if (!seen.add(v)) {
                    throw new IllegalArgumentException(what + " must be distinct, '" + v + "' appears twice");
                }
            }
            return List.copyOf(values);
        }
    }

    /**
     * Settings of one runtime, as a typed object from the runtime module ({@code OnnxOptions},
     * {@code PmmlOptions}), handed to {@link ScorerOptions.Builder#runtime(RuntimeOptions)}.
     *
     * <pre>{@code
     * ScorerOptions options = ScorerOptions.builder()
     *         .runtime(OnnxOptions.builder().intraOpThreads(2).build())
     *         .build();
     * }</pre>
     *
     * <p>Implementations are immutable. Settings for the runtime of another format than the model's
     * fail the load with {@link ModelLoadException}: they would otherwise be silently ignored.
     */
    public interface RuntimeOptions {
        /** The format whose runtime reads these settings. */
        ModelFormat format();
    }
}
