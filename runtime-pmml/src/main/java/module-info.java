/**
 * The PMML runtime of Handoff: scores PMML models with JPMML-Evaluator. Put it on the class path (or
 * module path) next to {@code dev.handoff}; {@link dev.handoff.pmml.PmmlOptions} holds its settings.
 */
module dev.handoff.pmml {
    requires transitive dev.handoff; // PmmlOptions and the provider expose its types
    requires org.slf4j;
    requires java.xml;
    requires jakarta.xml.bind;
    // JPMML's jars have no module descriptor: these are their automatic module names (from the file names)
    requires pmml.evaluator;
    requires pmml.model;
    // JPMML uses Guava, an explicit module that automatic modules cannot pull into the module graph:
    // without this line JPMML fails on the module path with NoClassDefFoundError: com/google/common/...
    requires com.google.common;

    exports dev.handoff.pmml;

    provides dev.handoff.spi.ScorerProvider with dev.handoff.pmml.internal.PmmlScorerProvider;
}
