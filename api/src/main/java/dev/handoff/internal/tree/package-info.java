/**
 * The compiled tree engine's core, shared by the format runtimes (exported to them only): one representation of
 * a tree-ensemble model ({@link dev.handoff.internal.tree.TreeEnsemble}), filled by each format's reader, and the
 * flat-array interpreter that scores it ({@link dev.handoff.internal.tree.TreeInterpreter}) with the source
 * runtime's answers.
 *
 * <pre>{@code
 * TreeEnsemble model = ...;                         // from OnnxTreeReader (runtime-onnx)
 * TreeInterpreter engine = new TreeInterpreter(model);
 * long label = engine.score(row, 0, out, 0, engine.newWorkspace());
 * }</pre>
 *
 * <h2>How exact</h2>
 * Against ONNX Runtime 1.28 (one intra-op thread) the raw scores, sums and labels are bit-identical: float
 * comparisons of the float input against float thresholds (double for double inputs), NaN sent by
 * {@code nodes_missing_value_tracks_true}, sums in the threshold type tree by tree in the order the trees first
 * appear, base values after aggregation, and ONNX Runtime's classifier rules. The post-transforms that call
 * {@code exp} or {@code log} (LOGISTIC, SOFTMAX, SOFTMAX_ZERO, PROBIT) follow ONNX Runtime's formulas operation by
 * operation in float, but ONNX Runtime's C library {@code expf}/{@code logf} (glibc: within 0.502 ulp, not
 * correctly rounded) and Java's {@code Math.exp}/{@code Math.log} rounded to float disagree in the last place for
 * a few inputs in ten thousand; the probability then differs by one ulp, two after the logistic's
 * {@code 1 / (1 + e)}. The parity tests in runtime-onnx measure it on every run.
 */
package dev.handoff.internal.tree;
