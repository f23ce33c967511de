/**
 * The PMML runtime of Handoff: scores PMML models with JPMML-Evaluator. Put it on the class path (or
 * module path) next to {@code dev.handoff}; {@link dev.handoff.pmml.PmmlOptions} holds its settings.
 *
 * <p>JPMML's jars carry no module names, so on the module path they are the automatic modules whose names
 * Java derives from their file names ({@code pmml.model}, {@code pmml.evaluator}); a service that renames
 * those jars must keep these names.
 */
module dev.handoff.pmml {
    requires transitive dev.handoff; // PmmlOptions and the provider expose its types
    requires org.slf4j;
    requires java.xml;
    requires jakarta.xml.bind;
    requires pmml.model;
    requires pmml.evaluator;
    requires com.google.common; // JPMML hands verification tables as Guava tables

    exports dev.handoff.pmml;

    provides dev.handoff.spi.ScorerProvider with dev.handoff.pmml.internal.PmmlScorerProvider;
}
