/**
 * Handoff: load a data scientist's ONNX or PMML model in-process and score it through one API.
 * Start at {@link dev.handoff.Scorer}.
 */
module dev.handoff {
    requires org.slf4j;

    exports dev.handoff;
    exports dev.handoff.spi;
    // shared by the runtimes, not part of the API
    exports dev.handoff.internal to dev.handoff.onnx, dev.handoff.pmml;
    exports dev.handoff.internal.tree to dev.handoff.onnx, dev.handoff.pmml;

    uses dev.handoff.spi.ScorerProvider;
}
