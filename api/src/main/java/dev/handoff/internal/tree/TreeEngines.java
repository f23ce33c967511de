package dev.handoff.internal.tree;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the format runtimes share about choosing the compiled tree engine: the backend that serves a covered
 * model, and the words that say which engine serves ({@code ModelInfo.metadata()} key {@link #METADATA_KEY}, the
 * load log line, {@code handoff inspect}'s {@code engine:} line).
 *
 * <pre>{@code
 * TreeBackend backend = TreeEngines.backendFor(model);
 * metadata.put(TreeEngines.METADATA_KEY, TreeEngines.compiled(backend));          // "compiled trees (bytecode; 100 trees, 2360 nodes)"
 * metadata.put(TreeEngines.METADATA_KEY, TreeEngines.runtime("ONNX op Scaler not covered"));  // "runtime (ONNX op Scaler not covered)"
 * }</pre>
 */
public final class TreeEngines {
    private static final Logger LOG = LoggerFactory.getLogger(TreeEngines.class);

    /** The {@code ModelInfo.metadata()} key whose value names the engine that serves the model. */
    public static final String METADATA_KEY = "handoff.engine";

    /** The reason given when {@code ScorerOptions.compiledTrees(false)} kept a covered model on its runtime. */
    public static final String SWITCHED_OFF = "compiled tree engine switched off by ScorerOptions.compiledTrees(false)";

    private TreeEngines() {
    }

    /**
     * The fastest backend that evaluates {@code model} with the reference's answers: its trees compiled to bytecode
     * ({@link BytecodeTrees}), or the interpreter where the bytecode backend declines the model (too big, or a feature
     * it does not know) or the JVM refuses the generated code (logged as a WARN: slower, same answers).
     */
    public static TreeBackend backendFor(TreeEnsemble model) {
        String[] declined = new String[1];
        try {
            BytecodeTrees compiled = BytecodeTrees.compileUnlessDeclined(model, declined);
            if (compiled != null) {
                return compiled;
            }
            LOG.debug("Not compiling {} to bytecode ({}): the tree interpreter serves it", model, declined[0]);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Compiling {} to bytecode failed, the tree interpreter serves it (same answers, slower): {}", model,
                    e.toString());
        }
        return new TreeInterpreter(model);
    }

    /** The engine line's text for a model the compiled tree engine serves. */
    public static String compiled(TreeBackend backend) {
        TreeShape model = backend.shape();
        return "compiled trees (" + backend.name() + "; " + model.treeCount() + " trees, " + model.nodeCount() + " nodes)";
    }

    /** The engine line's text for a model its format's runtime serves, and why. */
    public static String runtime(String reason) {
        return "runtime (" + reason + ")";
    }
}
