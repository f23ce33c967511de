package dev.handoff.onnx.internal;

import dev.handoff.internal.tree.TreeEnsemble;

import java.util.Objects;

/**
 * Whether the compiled tree engine can serve an ONNX model, and with what: the model as a
 * {@link TreeEnsemble}, the name of the tensor its tree node reads and how that tensor's rows are computed from
 * the inputs ({@link OnnxTreeFeatures.Plan}), or the reason it cannot, a phrase that completes
 * {@code engine: runtime (...)} (e.g. {@code "ONNX op LinearRegressor not covered"}).
 *
 * <pre>{@code
 * OnnxTreeCoverage coverage = OnnxTreeReader.read(graph.proto());
 * if (coverage.covered()) { TreeEnsemble model = coverage.model(); } else { log(coverage.reason()); }
 * }</pre>
 */
record OnnxTreeCoverage(TreeEnsemble model, String inputName, OnnxTreeFeatures.Plan features, String reason) {

    /** A tree node fed by the graph input {@code inputName} directly. */
    static OnnxTreeCoverage covered(TreeEnsemble model, String inputName) {
        return covered(model, inputName, DirectTreeFeatures.plan(inputName, model.featureCount()));
    }

    /** A tree node reading tensor {@code inputName}, whose rows {@code features} computes from the graph inputs. */
    static OnnxTreeCoverage covered(TreeEnsemble model, String inputName, OnnxTreeFeatures.Plan features) {
        return new OnnxTreeCoverage(Objects.requireNonNull(model), Objects.requireNonNull(inputName),
                Objects.requireNonNull(features), null);
    }

    static OnnxTreeCoverage notCovered(String reason) {
        return new OnnxTreeCoverage(null, null, null, Objects.requireNonNull(reason));
    }

    boolean covered() {
        return model != null;
    }
}
