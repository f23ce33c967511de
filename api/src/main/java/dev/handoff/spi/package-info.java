/**
 * What a third runtime implements to serve a model format through {@link dev.handoff.Scorer}: four
 * types, in the order a call meets them.
 *
 * <ol>
 *   <li>{@link dev.handoff.spi.ScorerProvider}: found by {@link java.util.ServiceLoader}; says which
 *       {@link dev.handoff.ModelFormat} it loads, and loads a {@link dev.handoff.spi.ScorerProvider.ModelSource}
 *       (the bytes Handoff has read and hashed) into a {@link dev.handoff.spi.ScoringEngine}, refusing at load,
 *       with {@link dev.handoff.ModelLoadException}, every model it could not score.</li>
 *   <li>{@link dev.handoff.spi.ScoringEngine}: describes the model (info, inputs, outputs, classes) and scores
 *       rows. Handoff has bound and checked them already (names, types, missing values, categories): the
 *       engine reads {@link dev.handoff.spi.InputColumns} and writes {@link dev.handoff.spi.OutputColumns}.</li>
 *   <li>Handoff shapes what the engine wrote into {@link dev.handoff.Prediction}s (labels, class-ordered
 *       probabilities, values, named outputs), keeps stats and tells the listener, and closes the engine
 *       only once no call is running.</li>
 * </ol>
 *
 * <pre>{@code
 * public final class MyScorerProvider implements ScorerProvider {   // META-INF/services + module-info "provides"
 *     public ModelFormat format() { return ModelFormat.PMML; }
 *     public ScoringEngine load(ModelSource source, ScorerOptions options) {
 *         return new MyEngine(parse(source.openStream()), options.runtime(MyOptions.class).orElse(MyOptions.defaults()));
 *     }
 * }
 * }</pre>
 */
package dev.handoff.spi;
