package dev.handoff.pmml;

import dev.handoff.InvalidInputException;
import dev.handoff.Prediction;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.TreeEngines;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The PMML tree tests' oracle check: the compiled tree engine and JPMML-Evaluator give the same bits.
 *
 * <pre>{@code
 * EngineParity.same("row 3", outputs, engine.score(row), jpmml.score(row));
 * Object outcome = EngineParity.both(doc, Map.of("x", 2.0));   // a Prediction, or "no prediction"
 * }</pre>
 */
public final class EngineParity {
    private EngineParity() {
    }

    /** Asserts that two predictions are the same bit for bit: failure and its message, label, probabilities, value, outputs and their classes. */
    public static void same(String where, List<String> outputs, Prediction a, Prediction b) {
        assertEquals(b.failed(), a.failed(), where + ": " + a + " vs " + b);
        if (a.failed()) {
            assertEquals(b.failure().get().getMessage(), a.failure().get().getMessage(), where);
            return;
        }
        assertEquals(b.hasLabel(), a.hasLabel(), where);
        if (a.hasLabel()) {
            assertEquals(b.label(), a.label(), where);
        }
        assertEquals(b.hasProbabilities(), a.hasProbabilities(), where);
        if (a.hasProbabilities()) {
            assertEquals(b.probabilities(), a.probabilities(), where);
        }
        assertEquals(b.hasValue(), a.hasValue(), where);
        if (a.hasValue()) {
            assertEquals(Double.doubleToRawLongBits(b.value()), Double.doubleToRawLongBits(a.value()),
                    where + ": " + a.value() + " vs " + b.value());
        }
        for (String name : outputs) {
            Object x = a.output(name);
            Object y = b.output(name);
            if (!(x == null ? y == null : x.equals(y) && x.getClass() == y.getClass())) {
                fail(where + ": output " + name + " " + x + " vs " + y);
            }
        }
    }

    /**
     * The compiled engine's outcome for one record of {@code doc} (a {@link Prediction}, or {@code "no prediction"} when
     * the record is rejected), after checking that the engine serves the document and that JPMML agrees bit for bit.
     */
    public static Object both(String doc, Map<String, Object> row) {
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        try (Scorer compiled = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(true).build());
             Scorer jpmml = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(false).build())) {
            String engine = compiled.info().metadata().get(TreeEngines.METADATA_KEY);
            assertTrue(engine.startsWith("compiled trees"), engine);
            Object a = outcome(compiled, row);
            Object b = outcome(jpmml, row);
            if (a instanceof Prediction p && b instanceof Prediction q) {
                same(doc, compiled.outputs().stream().map(o -> o.name()).toList(), p, q);
            } else {
                assertEquals(String.valueOf(b), String.valueOf(a));
            }
            return a;
        }
    }

    private static Object outcome(Scorer scorer, Map<String, Object> row) {
        try {
            return scorer.score(row);
        } catch (InvalidInputException e) {
            return "no prediction";
        }
    }
}
