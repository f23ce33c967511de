package dev.handoff.pmml;

import dev.handoff.ModelFormat;
import dev.handoff.ScorerOptions.RuntimeOptions;

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
 * loading thread's stack. {@link Builder#maxElements(int)} bounds the number of elements, and so the
 * memory the parsed document takes, with a clear message long before the heap runs out.
 * {@link Builder#maxExpressionDepth(int)} bounds how deep the evaluation of one value can nest through
 * expressions, field references and function calls: JPMML evaluates them recursively on the calling
 * thread, so a chain of hundreds of derived fields would exhaust the stack of every call. Derived
 * fields or functions defined through themselves are always refused, as are the regular expressions
 * of {@code matches} and {@code replace} that repeat a group which itself repeats ({@code (a+)+},
 * {@code ^(.*a){10}$}), because matching them can take minutes per record and cannot be interrupted.
 */
public final class PmmlOptions implements RuntimeOptions {
    /** The default {@link #maxElementDepth()}: deep enough for unpruned decision trees, far below stack exhaustion. */
    public static final int DEFAULT_MAX_ELEMENT_DEPTH = 1_000;
    /** The default {@link #maxElements()}: ten times the largest forests we have seen exported. */
    public static final int DEFAULT_MAX_ELEMENTS = 10_000_000;
    /**
     * The default {@link #maxExpressionDepth()}: exporters write a few levels; a 256 KiB thread stack
     * evaluates 400 without overflowing.
     */
    public static final int DEFAULT_MAX_EXPRESSION_DEPTH = 250;

    private static final PmmlOptions DEFAULTS = builder().build();

    private final boolean verifyAtLoad;
    private final int maxElementDepth;
    private final int maxElements;
    private final int maxExpressionDepth;

    private PmmlOptions(Builder b) {
        this.verifyAtLoad = b.verifyAtLoad;
        this.maxElementDepth = b.maxElementDepth;
        this.maxElements = b.maxElements;
        this.maxExpressionDepth = b.maxExpressionDepth;
    }

    /** Verification at load on; the limits at their defaults. */
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

    /** The most elements accepted in a document. Default {@value #DEFAULT_MAX_ELEMENTS}. */
    public int maxElements() {
        return maxElements;
    }

    /**
     * The deepest nesting of expressions, field references and function calls that evaluating one value
     * may take. Default {@value #DEFAULT_MAX_EXPRESSION_DEPTH}.
     */
    public int maxExpressionDepth() {
        return maxExpressionDepth;
    }

    /** A builder that starts from these options, as {@code ScorerOptions.toBuilder()} does. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.verifyAtLoad = verifyAtLoad;
        b.maxElementDepth = maxElementDepth;
        b.maxElements = maxElements;
        b.maxExpressionDepth = maxExpressionDepth;
        return b;
    }

    @Override
    public String toString() {
        return "PmmlOptions{verifyAtLoad=" + verifyAtLoad + ", maxElementDepth=" + maxElementDepth + ", maxElements="
                + maxElements + ", maxExpressionDepth=" + maxExpressionDepth + '}';
    }

    /** Builds {@link PmmlOptions}; each setter checks its argument. */
    public static final class Builder {
        private boolean verifyAtLoad = true;
        private int maxElementDepth = DEFAULT_MAX_ELEMENT_DEPTH;
        private int maxElements = DEFAULT_MAX_ELEMENTS;
        private int maxExpressionDepth = DEFAULT_MAX_EXPRESSION_DEPTH;

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

        /** The most elements accepted in a document, at least 8. Larger documents are refused while parsing. */
        public Builder maxElements(int elements) {
            if (elements < 8) {
                throw new IllegalArgumentException("maxElements must be at least 8, got " + elements);
            }
            this.maxElements = elements;
            return this;
        }

        /**
         * The deepest nesting of expressions, field references and function calls accepted, at least 1.
         * Raise it only together with the stack size ({@code -Xss}) of the threads that score.
         */
        public Builder maxExpressionDepth(int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("maxExpressionDepth must be at least 1, got " + depth);
            }
            this.maxExpressionDepth = depth;
            return this;
        }

        /** The options set so far. */
        public PmmlOptions build() {
            return new PmmlOptions(this);
        }
    }
}
