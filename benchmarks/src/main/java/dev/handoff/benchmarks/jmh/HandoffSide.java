package dev.handoff.benchmarks.jmh;

import dev.handoff.Batch;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.onnx.OnnxOptions;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;

/**
 * The Handoff side of a benchmark: a {@link Scorer} loaded with the options a user of this corpus
 * file would give (the feature names of a single-tensor ONNX model, the classes of a PyTorch
 * softmax), and what a caller reads back: the label and each class probability, or the value.
 */
final class HandoffSide implements AutoCloseable {
    final Scorer scorer;
    final String[] classes;
    final boolean classifier;

    HandoffSide(CorpusFile file, boolean singleTensor) {
        this(file, singleTensor, ScorerOptions.builder().build().compiledTrees());
    }

    /** As the user would load it, with the compiled tree engine on or off ({@code ScorerOptions.compiledTrees}). */
    HandoffSide(CorpusFile file, boolean singleTensor, boolean compiledTrees) {
        ScorerOptions.Builder options = ScorerOptions.builder().compiledTrees(compiledTrees);
        if (singleTensor) {
            options.runtime(OnnxOptions.builder().featureNames(file.header()).build());
        }
        Scorer loaded = Scorer.load(file.modelBytes(), options.build());
        if (loaded.info().task() == ModelTask.OTHER && !file.expectedClasses().isEmpty()) {
            loaded.close(); // a PyTorch softmax carries no labels: give them, as the README says
            loaded = Scorer.load(file.modelBytes(), options.classes(file.expectedClasses()).build());
        }
        this.scorer = loaded;
        this.classes = scorer.classes().toArray(String[]::new);
        this.classifier = scorer.info().task() == ModelTask.CLASSIFICATION;
    }

    /**
     * The engine that serves the model, as {@code ModelInfo.metadata()} names it under {@code handoff.engine}:
     * {@code compiled trees (bytecode; 100 trees, 2360 nodes)} or {@code runtime (<why>)}.
     */
    String engine() {
        return scorer.info().metadata().getOrDefault("handoff.engine", "runtime");
    }

    /** Whether Handoff's own compiled tree engine serves the model (rather than ONNX Runtime or JPMML-Evaluator). */
    boolean compiled() {
        return engine().startsWith("compiled");
    }

    /** A batch of the given columns (in {@link CorpusFile#header()} order), built outside the measured code. */
    static Batch batch(CorpusFile file, Object[] columns, int n) {
        Batch.Builder batch = Batch.builder(n);
        List<String> header = file.header();
        for (int c = 0; c < columns.length; c++) {
            if (columns[c] instanceof double[] d) {
                batch.doubles(header.get(c), d);
            } else {
                batch.strings(header.get(c), (String[]) columns[c]);
            }
        }
        return batch.build();
    }

    /** Reads what a caller reads from one prediction: label and every class probability (no boxing), or the value. */
    void consume(Prediction p, Blackhole blackhole) {
        if (classifier) {
            blackhole.consume(p.label());
            for (String c : classes) {
                blackhole.consume(p.probability(c));
            }
        } else {
            blackhole.consume(p.value());
        }
    }

    /** Reads the columns a caller reads from a batch: labels and each class's probabilities, or the values. */
    void consume(Predictions ps, Blackhole blackhole) {
        if (classifier) {
            blackhole.consume(ps.labels());
            for (String c : classes) {
                blackhole.consume(ps.probabilities(c));
            }
        } else {
            blackhole.consume(ps.values());
        }
    }

    @Override
    public void close() {
        scorer.close();
    }
}
