package dev.handoff.benchmarks.jmh;

import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A corpus file prepared for measuring, outside the measured code: the Handoff scorer and the rows
 * it gives a prediction for (a row the model rejects, such as the R regression's row without {@code wt},
 * would measure an exception, not scoring).
 */
final class ModelState {
    final CorpusFile file;
    final HandoffSide handoff;
    final List<Map<String, Object>> records;

    ModelState(String name, boolean singleTensor) {
        this(name, singleTensor, ScorerOptions.builder().build().compiledTrees());
    }

    /** With the compiled tree engine on or off ({@code ScorerOptions.compiledTrees}). */
    ModelState(String name, boolean singleTensor, boolean compiledTrees) {
        CorpusFile all = CorpusFile.of(name);
        HandoffSide side = new HandoffSide(all, singleTensor, compiledTrees);
        Predictions ps = side.scorer.scoreAll(all.records());
        List<Integer> scored = new ArrayList<>();
        for (int r = 0; r < ps.size(); r++) {
            if (!ps.get(r).failed()) {
                scored.add(r);
            }
        }
        this.file = all.onlyRows(scored);
        this.handoff = side;
        this.records = file.records();
    }

    Scorer scorer() {
        return handoff.scorer;
    }

    void close() {
        handoff.close();
    }
}
