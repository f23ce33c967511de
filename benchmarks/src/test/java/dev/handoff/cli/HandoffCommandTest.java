package dev.handoff.cli;

import dev.handoff.Scorer;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the command line says about itself, and how it words the library's messages. */
class HandoffCommandTest {

    @TempDir
    Path dir;

    @Test
    void versionPrintsHandoffOnnxRuntimeAndJpmmlVersions() {
        CommandRun run = CommandRun.of("--version");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("Handoff " + Scorer.handoffVersion() + "\nONNX Runtime 1.29.0\nJPMML-Evaluator 1.7.7\nJava "), run.out());
    }

    @Test
    void helpListsTheExitCodes() {
        CommandRun run = CommandRun.of("--help");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("  3  score: some rows could not be scored"), run.out());
    }

    @Test
    void inspectHelpListsOnlyWhatAppliesToInspecting() {
        String help = CommandRun.of("inspect", "--help").out();

        assertTrue(help.contains("--features") && help.contains("--classes"), help);
        for (String scoringOnly : new String[] {"--input", "--missing", "--strict-keys", "--unknown-categories", "--by-position", "--id"}) {
            assertFalse(help.contains(scoringOnly), scoringOnly + " in " + help);
        }
    }

    @Test
    void scoreHelpListsItsStreamingOptionsAndVerifyHelpDoesNot() {
        String score = CommandRun.of("score", "--help").out();
        String verify = CommandRun.of("verify", "--help").out();

        for (String option : new String[] {"--input", "--output", "--id", "--delimiter", "--encoding", "--[no-]progress", "--by-position",
                "--allow-missing-columns", "--missing", "--strict-keys", "--unknown-categories"}) {
            assertTrue(score.contains(option), option + " in " + score);
        }
        assertTrue(verify.contains("--expected") && verify.contains("--by-position"), verify);
        for (String scoreOnly : new String[] {"--id=", "--delimiter=", "--[no-]progress", "--output="}) {
            assertFalse(verify.contains(scoreOnly), scoreOnly + " in " + verify);
        }
    }

    @Test
    void jmhHelpIsOursAndPointsToJmhsOwn() {
        CommandRun run = CommandRun.of("jmh", "--help");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("handoff jmh [--help] [JMH ARGUMENTS...]"), run.out());
        assertTrue(run.out().contains("jmh -h (JMH's options)"), run.out());
    }

    @Test
    void featuresForAModelWithNamedInputsIsRefusedInTheWordsOfTheCommandLine() {
        CorpusModel model = CorpusModel.IRIS_PMML;

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--features", "a,b,c,d");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--features are for"), run.err());
        assertFalse(run.err().contains("featureNames"), run.err());
    }

    @Test
    void classesThatDoNotFitTheModelAreRefusedInTheWordsOfTheCommandLine() {
        CorpusModel model = CorpusModel.IRIS_NOZIPMAP_ONNX;

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--by-position", "--classes", "a,b");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--classes"), run.err());
        assertFalse(run.err().contains("ScorerOptions"), run.err());
    }

    @Test
    void oversizedModelIsRefusedNamingTheCommandLineFlag() {
        CorpusModel model = CorpusModel.IRIS_PMML;

        CommandRun run = CommandRun.of("inspect", model.copyModelTo(dir).toString(), "--max-model-bytes", "100");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("raise --max-model-bytes"), run.err());
    }
}
