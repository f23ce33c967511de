package dev.handoff.onnx;

import dev.handoff.Scorer;
import dev.handoff.testing.CorpusModel;

/** Loads the corpus diabetes ONNX model, scores its first row and prints the value: run in a forked JVM. */
public final class ScoreOnceMain {
    private ScoreOnceMain() {
    }

    public static void main(String[] args) {
        try (Scorer scorer = Scorer.load(CorpusModel.DIABETES_ONNX.modelBytes())) {
            System.out.println("value=" + scorer.score(CorpusModel.DIABETES_ONNX.inputRecords().get(0)).value());
        }
    }
}
