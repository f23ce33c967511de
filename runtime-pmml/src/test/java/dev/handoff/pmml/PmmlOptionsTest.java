package dev.handoff.pmml;

import dev.handoff.ModelFormat;
import dev.handoff.ScorerOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PmmlOptionsTest {

    @Test
    void defaultsVerifyAtLoadAndBoundNesting() {
        PmmlOptions options = PmmlOptions.defaults();
        assertEquals(ModelFormat.PMML, options.format());
        assertTrue(options.verifyAtLoad());
        assertEquals(PmmlOptions.DEFAULT_MAX_ELEMENT_DEPTH, options.maxElementDepth());
        assertEquals(10_000_000, options.maxElements());
        assertEquals(250, options.maxExpressionDepth());
        assertEquals("PmmlOptions{verifyAtLoad=true, maxElementDepth=1000, maxElements=10000000, maxExpressionDepth=250}",
                options.toString());
    }

    @Test
    void builderSettingsReachTheOptions() {
        PmmlOptions options = PmmlOptions.builder().verifyAtLoad(false).maxElementDepth(5_000).maxElements(100)
                .maxExpressionDepth(2_000).build();
        assertFalse(options.verifyAtLoad());
        assertEquals(5_000, options.maxElementDepth());
        assertEquals(100, options.maxElements());
        assertEquals(2_000, options.maxExpressionDepth());
    }

    @Test
    void toBuilderStartsFromEverySettingAndChangesOnlyWhatIsSet() {
        PmmlOptions o = PmmlOptions.builder().verifyAtLoad(false).maxElementDepth(64).maxElements(1_000).maxExpressionDepth(20).build();
        PmmlOptions changed = o.toBuilder().maxElements(2_000).build();
        assertFalse(changed.verifyAtLoad());
        assertEquals(64, changed.maxElementDepth());
        assertEquals(2_000, changed.maxElements());
        assertEquals(20, changed.maxExpressionDepth());
        assertEquals(o.toString(), o.toBuilder().build().toString());
        assertEquals(1_000, o.maxElements(), "the original is unchanged");
    }

    @Test
    void tooSmallDepthIsRejectedNamingArgumentAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PmmlOptions.builder().maxElementDepth(3));
        assertEquals("maxElementDepth must be at least 8, got 3", e.getMessage());
        assertEquals("maxElements must be at least 8, got 7",
                assertThrows(IllegalArgumentException.class, () -> PmmlOptions.builder().maxElements(7)).getMessage());
        assertEquals("maxExpressionDepth must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> PmmlOptions.builder().maxExpressionDepth(0)).getMessage());
    }

    @Test
    void scorerOptionsHandTheSettingsToThePmmlRuntime() {
        PmmlOptions pmml = PmmlOptions.builder().verifyAtLoad(false).build();
        ScorerOptions options = ScorerOptions.builder().runtime(pmml).build();
        assertSame(pmml, options.runtime(PmmlOptions.class).orElseThrow());
    }
}
