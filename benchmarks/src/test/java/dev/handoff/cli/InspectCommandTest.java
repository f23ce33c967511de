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

    /** The value of the line that starts with {@code key:}, or null. */
    private static String line(String out, String key) {
        for (String line : out.split("\n")) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        return null;
    }

    @Test
    void printsTheCompiledTreeEngineForACoveredTreeEnsemble() {
        CommandRun run = CommandRun.of("inspect", CorpusModel.XGBOOST_MISSING_ONNX.copyModelTo(dir).toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("\nengine:      compiled trees ("), run.out());
        assertTrue(line(run.out(), "engine").matches("compiled trees \\(\\w+; 100 trees, 2360 nodes\\)"), run.out());
    }

    @Test
    void printsTheRuntimeAndWhyForAModelTheTreeEngineDoesNotCover() {
        CommandRun run = CommandRun.of("inspect", CorpusModel.CHURN_LOGREG_NOZIPMAP_ONNX.copyModelTo(dir).toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(line(run.out(), "engine").matches("runtime \\(ONNX op \\w+ not covered\\)"), run.out());
    }

    @Test
    void engineRuntimeKeepsACoveredModelOnItsRuntimeAndSaysSo() {
        CommandRun run = CommandRun.of("inspect", CorpusModel.XGBOOST_MISSING_ONNX.copyModelTo(dir).toString(), "--engine", "runtime");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("runtime (compiled tree engine switched off by ScorerOptions.compiledTrees(false))", line(run.out(), "engine"),
                run.out());
    }

    @Test
    void printsTheEngineOfAPmmlModel() {
        CommandRun run = CommandRun.of("inspect", CorpusModel.CHURN_LOGREG_PMML.copyModelTo(dir).toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(line(run.out(), "engine").startsWith("runtime"), run.out());
    }

    @Test
    void anUnknownEngineIsAUsageErrorNamingTheChoices() {
        CommandRun run = CommandRun.of("inspect", CorpusModel.XGBOOST_MISSING_ONNX.copyModelTo(dir).toString(), "--engine", "fast");

        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.err().contains("'fast' is not one of auto, runtime"), run.err());
    }
}
