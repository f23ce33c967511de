package dev.handoff;

import java.util.Map;
import java.util.Objects;

/**
 * What is known about a loaded model, for logs, health pages and audits.
 *
 * <pre>{@code
 * ModelInfo info = scorer.info();
 * log.info("serving {} {} model {} by {}", info.format(), info.task(), info.sha256(), info.producer());
 * }</pre>
 *
 * @param source where the model came from: a file name, {@code <bytes>} or {@code <stream>}
 * @param format ONNX or PMML, detected from the content
 * @param task what the model predicts
 * @param producer the tool that wrote the file (for example {@code skl2onnx 1.14.0}, {@code JPMML-SkLearn library 1.9.0}); empty when unknown
 * @param description the model's own description; empty when none
 * @param sha256 the SHA-256 of the model bytes, lowercase hex
 * @param metadata further metadata the model carries (ONNX custom metadata, PMML header fields), in model order
 */
public record ModelInfo(String source, ModelFormat format, ModelTask task, String producer, String description,
                        String sha256, Map<String, String> metadata) {

    /** Checks the fields; a {@code null} producer or description becomes empty, and the metadata is copied. */
    public ModelInfo {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(task, "task");
        producer = producer == null ? "" : producer;
        description = description == null ? "" : description;
        Objects.requireNonNull(sha256, "sha256");
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /**
     * What a model predicts, which decides which parts of a {@link Prediction} are filled.
     *
     * <pre>{@code
     * switch (scorer.info().task()) {
     *     case CLASSIFICATION -> use(p.label(), p.probabilities());
     *     case REGRESSION -> use(p.value());
     *     case OTHER -> use(p.output("probabilities"));
     * }
     * }</pre>
     */
    public enum ModelTask {
        /** A label and class-ordered probabilities; {@link Scorer#classes()} is not empty. */
        CLASSIFICATION,
        /** One numeric target: {@link Prediction#value()}. */
        REGRESSION,
        /**
         * Neither could be recognised (for example a PyTorch model whose class labels were not given in
         * {@link ScorerOptions.Builder#classes(java.util.List)}): its results are available through
         * {@link Prediction#output(String)} only.
         */
        OTHER
    }
}
