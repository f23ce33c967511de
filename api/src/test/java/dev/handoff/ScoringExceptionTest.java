package dev.handoff;

import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.ScoringEngine;
import dev.handoff.spi.OutputColumns;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A runtime whose results do not fit what its model declares fails the call with a
 * {@link ScoringException}: the model's fault, not the record's, and not "closed".
 */
class ScoringExceptionTest {

    /** A regression of one input {@code x} and one declared output {@code y}; {@code results} plays the runtime. */
    private record ScriptedModel(List<OutputField> outputs, BiConsumer<InputColumns, OutputColumns> results) implements ScoringEngine {
        @Override
        public ModelInfo info() {
            return new ModelInfo("<scripted>", ModelFormat.PMML, ModelTask.REGRESSION, "test", "", "00", Map.of());
        }

        @Override
        public List<InputField> inputs() {
            return List.of(InputField.scalar("x", ValueType.DOUBLE, MissingValueTreatment.MODEL_HANDLES));
        }

        @Override
        public List<String> classes() {
            return List.of();
        }

        @Override
        public void score(InputColumns columns, OutputColumns out) {
            results.accept(columns, out);
        }

        @Override
        public void close() {
        }
    }

    private static Scorer scorer(BiConsumer<InputColumns, OutputColumns> results) {
        List<OutputField> outputs = List.of(new OutputField("y", ValueType.DOUBLE, List.of()));
        return new DefaultScorer(new ScriptedModel(outputs, results), ScorerOptions.defaults());
    }

    private static void assertScoringFailure(Scorer scorer, String expected) {
        ScoringException single = assertThrows(ScoringException.class, () -> scorer.score(Map.of("x", 1.0)));
        assertTrue(single.getMessage().contains(expected), single.getMessage());
        ScoringException batch = assertThrows(ScoringException.class,
                () -> scorer.scoreAll(List.of(Map.of("x", 1.0), Map.of("x", 2.0))));
        assertTrue(batch.getMessage().contains(expected), batch.getMessage());
    }

    @Test
    void moreRowsThanGivenIsAScoringFailure() {
        try (Scorer scorer = scorer((c, out) -> out.values(new double[c.rowCount() + 1])
                .output("y", new double[c.rowCount() + 1]))) {
            assertScoringFailure(scorer, "values must have one entry per row");
        }
    }

    @Test
    void outputOfAnotherTypeThanDeclaredIsAScoringFailure() {
        try (Scorer scorer = scorer((c, out) -> out.values(new double[c.rowCount()])
                .output("y", new boolean[c.rowCount()]))) {
            assertScoringFailure(scorer, "output 'y' is declared DOUBLE but the runtime returned a boolean[] column");
        }
    }

    @Test
    void declaredOutputTheRuntimeDoesNotGiveIsAScoringFailure() {
        try (Scorer scorer = scorer((c, out) -> out.values(new double[c.rowCount()]))) {
            assertScoringFailure(scorer, "no column for output 'y'");
        }
    }

    @Test
    void columnThatDoesNotDivideIntoRowsIsAScoringFailure() {
        try (Scorer scorer = scorer((c, out) -> out.values(new double[c.rowCount()])
                .output("y", new double[2 * c.rowCount() + 1]))) {
            ScoringException e = assertThrows(ScoringException.class,
                    () -> scorer.scoreAll(List.of(Map.of("x", 1.0), Map.of("x", 2.0))));
            assertTrue(e.getMessage().contains("output 'y' has 5 values for 2 rows"), e.getMessage());
        }
    }

    @Test
    void regressionWithoutValuesIsAScoringFailureAndTheScorerStaysOpen() {
        int[] calls = {0};
        try (Scorer scorer = scorer((c, out) -> {
            calls[0]++;
            out.output("y", new double[c.rowCount()]);
            if (calls[0] > 1) {
                out.values(new double[c.rowCount()]);
            }
        })) {
            ScoringException e = assertThrows(ScoringException.class, () -> scorer.score(Map.of("x", 1.0)));
            assertTrue(e.getMessage().contains("no value for a regression"), e.getMessage());
            assertEquals(0.0, scorer.score(Map.of("x", 1.0)).value());
        }
    }
}
