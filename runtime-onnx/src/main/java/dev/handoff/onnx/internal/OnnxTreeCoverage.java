package dev.handoff.onnx.internal;

import dev.handoff.internal.tree.TreeEnsemble;

import java.util.Objects;

/**
 * Whether the compiled tree engine can serve an ONNX model, and with what: the model as a
 * {@link TreeEnsemble} and the name of the float input it reads, or the reason it cannot, a phrase that
 * completes {@code engine: runtime (...)} (e.g. {@code "ONNX op Scaler not covered"}).
 *
 * <pre>{@code
 * OnnxTreeCoverage coverage = OnnxTreeReader.read(graph.proto());
 * if (coverage.covered()) { TreeEnsemble model = coverage.model(); } else { log(coverage.reason()); }
 * }</pre>
 */
record OnnxTreeCoverage(TreeEnsemble model, String inputName, String reason) {

    static OnnxTreeCoverage covered(TreeEnsemble model, String inputName) {
        return new OnnxTreeCoverage(Objects.requireNonNull(model), Objects.requireNonNull(inputName), null);
    }

    static OnnxTreeCoverage notCovered(String reason) {
        return new OnnxTreeCoverage(null, null, Objects.requireNonNull(reason));
    }

    boolean covered() {
        return model != null;
    }
}
