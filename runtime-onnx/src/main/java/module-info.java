/**
 * The ONNX runtime of Handoff: scores ONNX models with ONNX Runtime. Put it on the class path (or
 * module path) next to {@code dev.handoff}; {@link dev.handoff.onnx.OnnxOptions} holds its settings.
 */
module dev.handoff.onnx {
    requires transitive dev.handoff; // OnnxOptions and the provider expose its types
    requires org.slf4j;
    requires com.microsoft.onnxruntime;
    // protobuf-java is not required: the published jar carries it relocated into
    // dev.handoff.onnx.internal.protobuf (maven-shade-plugin), so a service keeps its own protobuf version.
    // javac reads it from the class path (--add-reads dev.handoff.onnx=ALL-UNNAMED in the pom); the relocated
    // copy needs what protobuf-java itself uses from the JDK:
    requires java.logging;
    requires jdk.unsupported;

    exports dev.handoff.onnx;

    provides dev.handoff.spi.ScorerProvider with dev.handoff.onnx.internal.OnnxScorerProvider;
}
