package dev.handoff.cli;

import dev.handoff.Prediction;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Every row of an input CSV held in memory, scored by the model of the command line, with the
 * prediction columns the model gives: what {@code verify} compares. ({@code score} streams instead.)
 *
 * <pre>{@code
 * ScoredCsv scored = ScoredCsv.score(modelOptions, CsvTable.read(input), err);
 * compare(scored.columns(), scored.results());
 * }</pre>
 *
 * @param columns the prediction columns of the model ({@code label}, {@code probability(<class>)}..., {@code value})
 * @param results one result per input row, in input order
 */
record ScoredCsv(PredictionColumns columns, List<RowResult> results) {

    /**
     * Loads the model, binds it to the CSV header (see {@link BoundModel}; its notes go to {@code err}),
     * scores every row in batches of {@value BoundModel#BATCH_ROWS}, closes the model.
     */
    static ScoredCsv score(ModelOptions modelOptions, CsvTable rows, PrintWriter err) {
        try (BoundModel model = BoundModel.open(modelOptions, rows.header(), null, rows.source(), err)) {
            List<RowResult> results = new ArrayList<>(rows.rows().size());
            for (int from = 0; from < rows.rows().size(); from += BoundModel.BATCH_ROWS) {
                List<List<String>> chunk = rows.rows().subList(from, Math.min(rows.rows().size(), from + BoundModel.BATCH_ROWS));
                for (Prediction p : model.score(chunk)) {
                    results.add(p.failed() ? RowResult.failed(CliWording.rowFailure(p.failure().orElseThrow())) : RowResult.scored(p));
                }
            }
            return new ScoredCsv(PredictionColumns.of(model.scorer()), results);
        }
    }
}
