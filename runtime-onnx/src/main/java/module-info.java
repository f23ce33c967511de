/**
 * The ONNX runtime of Handoff: scores ONNX models with ONNX Runtime. Put it on the class path (or
 * module path) next to {@code dev.handoff}; {@link dev.handoff.onnx.OnnxOptions} holds its settings.
 */
module dev.handoff.onnx {
    requires transitive dev.handoff; // OnnxOptions and the provider expose its types
    requires org.slf4j;
    requires com.microsoft.onnxruntime;
    requires com.google.protobuf;

    exports dev.handoff.onnx;

    provides dev.handoff.spi.ScorerProvider with dev.handoff.onnx.internal.OnnxScorerProvider;
}
