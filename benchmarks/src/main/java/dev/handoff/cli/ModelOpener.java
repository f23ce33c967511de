package dev.handoff.cli;

import dev.handoff.InputField;
import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * Loads the model of {@code score} and {@code verify}. A model that takes one tensor of values per
 * row (a scikit-learn model exported with a single {@code [N, F]} input, a PyTorch model) and was
 * not given {@code --features} is loaded again with the CSV header columns as its feature names,
 * in header order, because that is how the corpus and most data scientists write such a file.
 */
final class ModelOpener {

    private ModelOpener() {
    }

    static Scorer open(Path model, ScorerOptions options, List<String> csvHeader) {
        Scorer scorer = Scorer.load(model, options);
        if (!options.featureNames().isEmpty() || !takesOneTensor(scorer)) {
            return scorer;
        }
        InputField tensor = scorer.inputs().get(0);
        ModelFormat format = scorer.info().format();
        scorer.close();
        try {
            return Scorer.load(model, options.toBuilder().featureNames(csvHeader).build());
        } catch (ModelLoadException | IllegalArgumentException e) {
            throw new ModelLoadException(model.toString(), format, "its single tensor input '" + tensor.name() + "' of shape "
                    + tensor.shape() + " was to be filled from the " + csvHeader.size() + " CSV columns in header order, "
                    + "which failed: " + (e instanceof ModelLoadException m ? m.reason() : e.getMessage()) + "; name the tensor's columns with --features", e);
        }
    }

    private static boolean takesOneTensor(Scorer scorer) {
        return scorer.inputs().size() == 1 && !scorer.inputs().get(0).isScalar();
    }
}
