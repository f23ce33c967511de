package dev.handoff.cli;

import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsFormatTaskInputNamesAndClassesOfAPmmlModel() {
        CorpusModel model = CorpusModel.IRIS_PMML;

        CommandRun run = CommandRun.of("inspect", model.copyModelTo(dir).toString());

        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("format:      PMML\n"), out);
        assertTrue(out.contains("task:        CLASSIFICATION\n"), out);
        assertTrue(out.contains("classes:     setosa, versicolor, virginica\n"), out);
        assertTrue(out.contains("inputs:      4\n"), out);
        for (String input : model.inputColumns()) {
            assertTrue(out.contains("\n  " + input + " "), input + " in " + out);
        }
        assertTrue(out.matches("(?s).*sha256:      [0-9a-f]{64}\n.*"), out);
    }

    @Test
    void printsTheTensorShapeOfASingleTensorOnnxModel() {
        CommandRun run = CommandRun.of("inspect", CorpusModel.BREAST_CANCER_NOZIPMAP_ONNX.copyModelTo(dir).toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("format:      ONNX\n"), run.out());
        assertTrue(run.out().contains("inputs:      1\n"), run.out());
        assertTrue(run.out().contains("shape [30]"), run.out());
        assertTrue(run.out().contains("classes:     0, 1\n"), run.out());
    }

    @Test
    void featuresNameTheColumnsOfTheTensor() {
        CorpusModel model = CorpusModel.BREAST_CANCER_NOZIPMAP_ONNX;

        CommandRun run = CommandRun.of("inspect", model.copyModelTo(dir).toString(), "--features", String.join(",", model.inputColumns()));

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("inputs:      30\n"), run.out());
        assertTrue(run.out().contains("\n  mean radius "), run.out());
    }

    @Test
    void printsWhatEachInputDoesWithAMissingValue() {
        CommandRun onnx = CommandRun.of("inspect", CorpusModel.CHURN_LOGREG_ONNX.copyModelTo(dir).toString());
        CommandRun pmml = CommandRun.of("inspect", CorpusModel.CHURN_LOGREG_PMML.copyModelTo(dir).toString());

        assertEquals(0, onnx.exitCode(), onnx.err());
        assertTrue(onnx.out().contains("\n  tenure_months    FLOAT    missing: goes to the model\n"), onnx.out());
        assertTrue(onnx.out().contains("\n  plan             STRING   missing: rejected\n"), onnx.out());
        assertEquals(0, pmml.exitCode(), pmml.err());
        assertTrue(pmml.out().contains("\n  tenure_months    DOUBLE   missing: replaced by the model\n"), pmml.out());
        assertTrue(pmml.out().contains("\n  plan             STRING   missing: goes to the model  categories [basic, plus, premium]\n"),
                pmml.out());
    }
}
