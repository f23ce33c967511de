package dev.handoff.onnx;

import dev.handoff.ModelFormat;
import dev.handoff.ScorerOptions.RuntimeOptions;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * ONNX Runtime settings for one scorer, handed to {@code ScorerOptions.Builder.runtime(...)}.
 *
 * <pre>{@code
 * ScorerOptions options = ScorerOptions.builder()
 *         .runtime(OnnxOptions.builder()
 *                 .intraOpThreads(1)                                  // the default
 *                 .optimizationLevel(OnnxOptions.OptimizationLevel.ALL)
 *                 .executionProvider(OnnxOptions.ExecutionProvider.CPU)
 *                 .featureNames(List.of("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"))
 *                 .build())
 *         .build();
 * }</pre>
 *
 * <p><b>Threads.</b> By default a scorer runs each call on the calling thread alone (one intra-op and
 * one inter-op thread). In a service, parallelism comes from the service's own request threads, each
 * calling the same thread-safe scorer; ONNX Runtime thread pools on top of that would oversubscribe
 * the cores and add hand-off latency to every small call. Raise {@link Builder#intraOpThreads(int)}
 * for large batches or large neural networks scored by few threads.
 *
 * <p><b>CUDA.</b> {@link ExecutionProvider#CUDA} needs the {@code onnxruntime_gpu} artifact instead of
 * {@code onnxruntime} and a CUDA device; when the provider is not available the scorer logs a WARN
 * and runs on the CPU.
 */
public final class OnnxOptions implements RuntimeOptions {

    /** ONNX Runtime's graph optimization levels. */
    public enum OptimizationLevel {
        /** No graph optimizations. */
        NONE,
        /** Semantics-preserving node fusions and constant folding. */
        BASIC,
        /** BASIC plus fusions of complex nodes. */
        EXTENDED,
        /** Every optimization, including layout ones. The default. */
        ALL
    }

    /** Where the model runs. */
    public enum ExecutionProvider {
        /** The CPU (always available). The default. */
        CPU,
        /** An NVIDIA GPU through CUDA, when the GPU build of ONNX Runtime is on the class path; otherwise CPU with a WARN. */
        CUDA
    }

    private static final OnnxOptions DEFAULTS = builder().build();

    private final int intraOpThreads;
    private final int interOpThreads;
    private final OptimizationLevel optimizationLevel;
    private final ExecutionProvider executionProvider;
    private final int cudaDeviceId;
    private final boolean telemetry;
    private final long maxNodes;
    private final List<String> featureNames;

    /** The most graph nodes and tree-ensemble nodes accepted by default: 1,000,000. */
    public static final long DEFAULT_MAX_NODES = 1_000_000;

    private OnnxOptions(Builder b) {
        this.intraOpThreads = b.intraOpThreads;
        this.interOpThreads = b.interOpThreads;
        this.optimizationLevel = b.optimizationLevel;
        this.executionProvider = b.executionProvider;
        this.cudaDeviceId = b.cudaDeviceId;
        this.telemetry = b.telemetry;
        this.maxNodes = b.maxNodes;
        this.featureNames = b.featureNames;
    }

    /** One intra-op and one inter-op thread, optimization level ALL, the CPU. */
    public static OnnxOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.ONNX;
    }

    /** Threads ONNX Runtime uses inside one operator. Default 1 (see the class comment). */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** Threads ONNX Runtime uses to run independent operators in parallel. Default 1. */
    public int interOpThreads() {
        return interOpThreads;
    }

    /** How far ONNX Runtime rewrites the graph at load. Default {@link OptimizationLevel#ALL}. */
    public OptimizationLevel optimizationLevel() {
        return optimizationLevel;
    }

    /** Where the graph runs. Default {@link ExecutionProvider#CPU}. */
    public ExecutionProvider executionProvider() {
        return executionProvider;
    }

    /** The CUDA device used with {@link ExecutionProvider#CUDA}. Default 0. */
    public int cudaDeviceId() {
        return cudaDeviceId;
    }

    /**
     * Whether ONNX Runtime's telemetry events are on. Default {@code false}: Handoff switches them off;
     * the setting is process-wide, so one scorer that asks for it turns it on for all. With ONNX
     * Runtime 1.28, the version Handoff depends on, this matters on Windows only, where ONNX Runtime's
     * build emits usage events through Windows' event tracing; on Linux and macOS that version has no
     * telemetry. ONNX Runtime 1.29 and later (if a service overrides the version) start an uploader on
     * Linux and macOS too, when the environment is created and before this switch applies: only the
     * environment variable {@code ORT_DISABLE_TELEMETRY=1}, set before the JVM starts, stops it.
     */
    public boolean telemetry() {
        return telemetry;
    }

    /**
     * The complexity budget of a model: the most nodes its graphs (subgraphs and functions included)
     * and its tree ensembles (every tree node counts) may have together. A model over it is refused at
     * load with a message naming the count, before ONNX Runtime spends memory and minutes on it.
     * Default {@link #DEFAULT_MAX_NODES}: far above the largest exports of scikit-learn, XGBoost or a
     * typical network.
     */
    public long maxNodes() {
        return maxNodes;
    }

    /**
     * Names of the columns of a single-tensor model's input ({@code [N, F]} or {@code [N, 1, 8, 8]}), in
     * tensor order; empty when not set (the default). When set, {@code Scorer.inputs()} lists one scalar
     * field per name and records are keyed by these names, exactly as for the PMML export of the same
     * model. A model with several inputs, or another number of values per row, is refused at load.
     */
    public List<String> featureNames() {
        return featureNames;
    }

    /** A builder that starts from these options, as {@code ScorerOptions.toBuilder()} does. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.intraOpThreads = intraOpThreads;
        b.interOpThreads = interOpThreads;
        b.optimizationLevel = optimizationLevel;
        b.executionProvider = executionProvider;
        b.cudaDeviceId = cudaDeviceId;
        b.telemetry = telemetry;
        b.maxNodes = maxNodes;
        b.featureNames = featureNames;
        return b;
    }

    @Override
    public String toString() {
        return "OnnxOptions{intraOpThreads=" + intraOpThreads + ", interOpThreads=" + interOpThreads
                + ", optimizationLevel=" + optimizationLevel + ", executionProvider=" + executionProvider
                + (executionProvider == ExecutionProvider.CUDA ? ", cudaDeviceId=" + cudaDeviceId : "")
                + (telemetry ? ", telemetry=true" : "") + (featureNames.isEmpty() ? "" : ", featureNames=" + featureNames) + '}';
    }

    /** Builds {@link OnnxOptions}; each setter checks its argument, {@link #build()} the combination. */
    public static final class Builder {
        private int intraOpThreads = 1;
        private int interOpThreads = 1;
        private OptimizationLevel optimizationLevel = OptimizationLevel.ALL;
        private ExecutionProvider executionProvider = ExecutionProvider.CPU;
        private int cudaDeviceId = 0;
        private boolean telemetry;
        private long maxNodes = DEFAULT_MAX_NODES;
        private List<String> featureNames = List.of();

        private Builder() {
        }

        /** See {@link OnnxOptions#featureNames()}. Names must be distinct and not blank; an empty list unsets them. */
        public Builder featureNames(List<String> names) {
            Objects.requireNonNull(names, "featureNames");
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("featureNames[" + i + "] must not be null or blank, got "
                            + (name == null ? "null" : "'" + name + "'"));
                }
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("featureNames must be distinct, '" + name + "' appears twice");
                }
            }
            this.featureNames = List.copyOf(names);
            return this;
        }

        /** At least 1. */
        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = positive("intraOpThreads", threads);
            return this;
        }

        /** At least 1. */
        public Builder interOpThreads(int threads) {
            this.interOpThreads = positive("interOpThreads", threads);
            return this;
        }

        /** See {@link OnnxOptions#optimizationLevel()}. */
        public Builder optimizationLevel(OptimizationLevel level) {
            this.optimizationLevel = java.util.Objects.requireNonNull(level, "optimizationLevel");
            return this;
        }

        /** See {@link OnnxOptions#executionProvider()}; CUDA without a GPU build of ONNX Runtime falls back to the CPU with a WARN. */
        public Builder executionProvider(ExecutionProvider provider) {
            this.executionProvider = java.util.Objects.requireNonNull(provider, "executionProvider");
            return this;
        }

        /** Not negative. */
        public Builder cudaDeviceId(int deviceId) {
            if (deviceId < 0) {
                throw new IllegalArgumentException("cudaDeviceId must not be negative, got " + deviceId);
            }
            this.cudaDeviceId = deviceId;
            return this;
        }

        /** See {@link OnnxOptions#maxNodes()}; at least 1. */
        public Builder maxNodes(long nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("maxNodes must be at least 1, got " + nodes);
            }
            this.maxNodes = nodes;
            return this;
        }

        /** See {@link OnnxOptions#telemetry()}. */
        public Builder telemetry(boolean on) {
            this.telemetry = on;
            return this;
        }

        /**
         * The options set so far, checked together: a CUDA device other than 0 is refused unless the
         * provider is CUDA, rather than silently ignored.
         */
        public OnnxOptions build() {
            if (cudaDeviceId != 0 && executionProvider != ExecutionProvider.CUDA) {
                throw new IllegalArgumentException("cudaDeviceId(" + cudaDeviceId + ") applies to ExecutionProvider.CUDA only, "
                        + "but the provider is " + executionProvider);
            }
            return new OnnxOptions(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value);
            }
            return value;
        }
    }
}
