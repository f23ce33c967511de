package dev.handoff.pmml;

import dev.handoff.ModelFormat;
import dev.handoff.RuntimeOptions;

/**
 * JPMML-Evaluator settings for one scorer, handed to {@code ScorerOptions.Builder.runtime(...)}.
 *
 * <pre>{@code
 * ScorerOptions options = ScorerOptions.builder()
 *         .runtime(PmmlOptions.builder()
 *                 .verifyAtLoad(true)          // the default
 *                 .maxElementDepth(1_000)      // the default
 *                 .build())
 *         .build();
 * try (Scorer scorer = Scorer.load(Path.of("churn.pmml"), options)) { ... }
 * }</pre>
 *
 * <p><b>Verification.</b> A PMML document may carry its own golden cases ({@code <ModelVerification>}).
 * By default they run when the model is loaded, so a model whose export does not reproduce its own
 * cases never serves; a document without them loads as usual.
 *
 * <p><b>Hostile documents.</b> DTDs, external entities and XInclude are never resolved, whatever the
 * settings. {@link Builder#maxElementDepth(int)} bounds element nesting because JPMML walks the
 * document tree recursively: a document nested a few thousand levels deep would otherwise exhaust the
 * loading thread's stack.
 */
public final class PmmlOptions implements RuntimeOptions {
    /** The default {@link #maxElementDepth()}: deep enough for unpruned decision trees, far below stack exhaustion. */
    public static final int DEFAULT_MAX_ELEMENT_DEPTH = 1_000;

    private static final PmmlOptions DEFAULTS = builder().build();

    private final boolean verifyAtLoad;
    private final int maxElementDepth;

    private PmmlOptions(Builder b) {
        this.verifyAtLoad = b.verifyAtLoad;
        this.maxElementDepth = b.maxElementDepth;
    }

    /** Verification at load on, element depth limited to {@value #DEFAULT_MAX_ELEMENT_DEPTH}. */
    public static PmmlOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.PMML;
    }

    /** Whether the document's embedded {@code <ModelVerification>} cases run at load. Default {@code true}. */
    public boolean verifyAtLoad() {
        return verifyAtLoad;
    }

    /** The deepest element nesting accepted in a document. Default {@value #DEFAULT_MAX_ELEMENT_DEPTH}. */
    public int maxElementDepth() {
        return maxElementDepth;
    }

    @Override
    public String toString() {
        return "PmmlOptions{verifyAtLoad=" + verifyAtLoad + ", maxElementDepth=" + maxElementDepth + '}';
    }

    /** Builds {@link PmmlOptions}; each setter checks its argument. */
    public static final class Builder {
        private boolean verifyAtLoad = true;
        private int maxElementDepth = DEFAULT_MAX_ELEMENT_DEPTH;

        private Builder() {
        }

        /** Whether embedded {@code <ModelVerification>} cases run at load; a failing case fails the load. */
        public Builder verifyAtLoad(boolean verify) {
            this.verifyAtLoad = verify;
            return this;
        }

        /**
         * The deepest element nesting accepted, at least 8 (a minimal PMML document nests 4 levels).
         * Raise it only for trees deeper than about 990 levels, together with the loading thread's
         * stack size ({@code -Xss}).
         */
        public Builder maxElementDepth(int depth) {
            if (depth < 8) {
                throw new IllegalArgumentException("maxElementDepth must be at least 8, got " + depth);
            }
            this.maxElementDepth = depth;
            return this;
        }

        /** The options set so far. */
        public PmmlOptions build() {
            return new PmmlOptions(this);
        }
    }
}
