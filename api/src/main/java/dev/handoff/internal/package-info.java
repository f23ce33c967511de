/**
 * Implementation shared by Handoff's modules, exported only to the runtime modules; not an API.
 *
 * <p>A call travels through the stages in the order of their packages: {@code internal.bind} turns
 * records and batches into {@link dev.handoff.spi.InputColumns} (every row's binding failure recorded
 * there), the runtime's {@link dev.handoff.spi.ScoringEngine} runs, {@code internal.shape} turns what it
 * wrote into every row's outcome (the model's rejections and "no prediction" recorded there), and
 * {@code internal.observe} ({@code CallObserver}) records stats and tells the listener from what the earlier stages
 * handed forward. {@code dev.handoff.DefaultScorer} runs the stages, with one call protocol for
 * every entry point.
 */
package dev.handoff.internal;
