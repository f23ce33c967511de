package dev.handoff.cli;

import dev.handoff.Scorer;

import java.util.List;

/**
 * Every row of an input CSV scored by the model of the command line, with the prediction columns
 * the model gives: what {@code score} writes and {@code verify} compares.
 *
 * <pre>{@code
 * ScoredCsv scored = ScoredCsv.score(modelOptions, CsvTable.read(input));
 * write(scored.columns(), scored.results());
 * }</pre>
 *
 * @param columns the prediction columns of the model ({@code label}, {@code probability(<class>)}..., {@code value})
 * @param results one result per input row, in input order
 */
record ScoredCsv(PredictionColumns columns, List<RowResult> results) {

    /** Loads the model (filling a single-tensor model from the CSV header), scores every row, closes the model. */
    static ScoredCsv score(ModelOptions modelOptions, CsvTable rows) {
        try (Scorer scorer = ModelOpener.open(modelOptions.model(), modelOptions.scorerOptions(), rows.header())) {
            return new ScoredCsv(PredictionColumns.of(scorer), ChunkedScorer.scoreAll(scorer, rows.records()));
        }
    }
}
