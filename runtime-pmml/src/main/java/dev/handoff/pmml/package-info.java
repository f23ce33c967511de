/**
 * The PMML runtime of Handoff: scores PMML models with JPMML-Evaluator. Put its jar on the class path
 * (or the module path, as the module {@code dev.handoff.pmml}) next to {@code handoff-api}; {@link dev.handoff.pmml.PmmlOptions} holds its settings.
 *
 * <pre>{@code
 * ScorerOptions options = ScorerOptions.builder()
 *         .runtime(PmmlOptions.builder().verifyAtLoad(false).build())
 *         .build();
 * }</pre>
 */
package dev.handoff.pmml;
