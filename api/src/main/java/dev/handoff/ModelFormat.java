package dev.handoff;

/**
 * The two model formats Handoff scores, each served by its own runtime module.
 *
 * <pre>{@code
 * if (scorer.info().format() == ModelFormat.PMML) { ... }
 * }</pre>
 */
public enum ModelFormat {
    /** ONNX (skl2onnx, torch.onnx, onnxmltools), scored by ONNX Runtime in {@code handoff-runtime-onnx}. */
    ONNX,
    /** PMML (JPMML-SkLearn, JPMML-R, sklearn2pmml, r2pmml), scored by JPMML-Evaluator in {@code handoff-runtime-pmml}. */
    PMML
}
