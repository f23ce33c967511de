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
        assertTrue(run.out().startsWith("Handoff " + Scorer.handoffVersion() + "\nONNX Runtime 1.28.0\nJPMML-Evaluator 1.7.7\nJava "), run.out());
    }

    @Test
    void helpListsTheExitCodes() {
        CommandRun run = CommandRun.of("--help");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("  3  score: some rows could not be scored"), run.out());
        assertTrue(run.out().contains("  4  internal error of Handoff or out of memory"), run.out());
    }

    /** A bug of Handoff is told apart from a user's error: its own exit code, and the stack trace to report. */
    @Test
    void internalErrorExitsWith4AndPrintsItsStackTraceWhileAUsersErrorExitsWith2WithoutOne() {
        picocli.CommandLine commandLine = HandoffCommand.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        commandLine.setErr(new java.io.PrintWriter(err, true));
        FailureHandler handler = new FailureHandler();

        int bug = handler.handleExecutionException(new NullPointerException("oops"), commandLine, null);
        String bugText = err.toString();
        err.getBuffer().setLength(0);
        int users = handler.handleExecutionException(new java.io.IOException("cannot read in.csv"), commandLine, null);

        assertEquals(HandoffCommand.EXIT_INTERNAL_ERROR, bug);
        assertEquals(4, bug);
        assertTrue(bugText.startsWith("handoff handoff: internal error, please report it with this stack trace: "
                + "java.lang.NullPointerException: oops"), bugText);
        assertTrue(bugText.contains("\tat "), bugText);
        assertEquals(2, users);
        assertEquals("handoff handoff: cannot read in.csv" + System.lineSeparator(), err.toString());
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
