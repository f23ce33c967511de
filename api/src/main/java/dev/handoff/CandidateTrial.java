package dev.handoff;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link ReloadingScorer} candidate that passed the gate and now shadows the serving model on a sample of
 * live calls before it may serve: it is done after {@code minimumRows} rows compared or {@code maxDuration},
 * and it agreed when the {@link ModelComparison.Report#agrees() comparison agrees} over at least
 * {@code minimumRows} rows. The candidate belongs to the trial until the reloading scorer swaps it in.
 */
final class CandidateTrial {
    /** The shadow rule of {@link ReloadingScorer.Builder#shadowBeforeServing}. */
    record Rule(double sampleRate, long minimumRows, Duration maxDuration, ModelComparison comparison) {
        Rule {
            if (!(sampleRate > 0 && sampleRate <= 1)) {
                throw new IllegalArgumentException("sampleRate must be in (0, 1], got " + sampleRate);
            }
            if (minimumRows < 1) {
                throw new IllegalArgumentException("minimumRows must be >= 1, got " + minimumRows);
            }
            Objects.requireNonNull(maxDuration, "maxDuration");
            if (maxDuration.isNegative() || maxDuration.isZero()) {
                throw new IllegalArgumentException("maxDuration must be positive, got " + maxDuration);
            }
            Objects.requireNonNull(comparison, "comparison");
        }
    }

    private final DefaultScorer serving;
    private final DefaultScorer candidate;
    private final ShadowScorer shadow;
    private final Rule rule;
    private final long startedNanos = System.nanoTime();
    private final List<ModelFileWatch.FileState> files;

    CandidateTrial(DefaultScorer serving, DefaultScorer candidate, Rule rule, ScorerOptions options, List<ModelFileWatch.FileState> files) {
        this.serving = serving;
        this.candidate = candidate;
        this.rule = rule;
        this.files = files;
        this.shadow = ShadowScorer.builder(serving, candidate).sampleRate(rule.sampleRate()).comparison(rule.comparison())
                .closeTimeout(options.closeTimeout()).listener(options.listener()).closesModels(false).build();
    }

    /** The shadow to call instead of {@code model}, when {@code model} is the one this trial shadows. */
    ShadowScorer shadowOf(DefaultScorer model) {
        return model == serving ? shadow : null;
    }

    DefaultScorer candidate() {
        return candidate;
    }

    List<ModelFileWatch.FileState> files() {
        return files;
    }

    boolean done() {
        return shadow.shadowStats().comparison().rowsCompared() >= rule.minimumRows()
                || System.nanoTime() - startedNanos >= rule.maxDuration().toNanos();
    }

    /** Whether the candidate agreed on enough rows to serve. */
    boolean agreed() {
        ModelComparison.Report r = shadow.shadowStats().comparison();
        return r.agrees() && r.rowsCompared() >= rule.minimumRows();
    }

    /** The figures, for a log line: rows compared, per output agreement and max difference, one-sided rows, dropped samples. */
    String figures() {
        ShadowScorer.Stats stats = shadow.shadowStats();
        ModelComparison.Report r = stats.comparison();
        StringBuilder s = new StringBuilder().append(r.rowsCompared()).append(" rows compared (minimum ").append(rule.minimumRows())
                .append(')');
        for (ModelComparison.Output o : r.outputs()) {
            s.append(", ").append(o.name()).append(' ').append(o.agreeing()).append('/').append(o.compared())
                    .append(Double.isNaN(o.maxAbsolute()) ? "" : String.format(Locale.ROOT, " max abs %.3g p99 %.3g", o.maxAbsolute(),
                            o.p99Absolute()));
        }
        if (!r.outputsOnlyInA().isEmpty() || !r.outputsOnlyInB().isEmpty()) {
            s.append(", only in serving ").append(r.outputsOnlyInA()).append(", only in candidate ").append(r.outputsOnlyInB());
        }
        return s.append(", ").append(r.failedOnlyByB()).append(" rows only the serving model scored, ").append(r.failedOnlyByA())
                .append(" only the candidate, ").append(stats.dropped()).append(" samples dropped").toString();
    }

    /** Stops shadowing; closes the candidate unless it is to serve. */
    void end(boolean candidateServes) {
        shadow.close();
        if (!candidateServes) {
            candidate.close();
        }
    }
}
