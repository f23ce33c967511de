package dev.handoff;

import dev.handoff.ScorerOptions.RuntimeOptions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScorerOptionsTest {

    private record FakeOnnxOptions(int threads) implements RuntimeOptions {
        @Override
        public ModelFormat format() {
            return ModelFormat.ONNX;
        }
    }

    @Test
    void defaultsLetTheModelTreatMissingValuesAndUnknownCategoriesAndIgnoreOtherKeys() {
        ScorerOptions o = ScorerOptions.defaults();
        assertFalse(o.rejectMissingValues());
        assertFalse(o.strictKeys());
        assertEquals(UnknownCategoryPolicy.AS_MODEL_DECLARES, o.unknownCategories());
        assertEquals(ScorerOptions.DEFAULT_MAX_MODEL_BYTES, o.maxModelBytes());
    }

    @Test
    void duplicateOrBlankClassesAreRejectedWithTheValue() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> ScorerOptions.builder().classes(List.of("a", "b", "a")));
        assertTrue(dup.getMessage().contains("'a' appears twice"), dup.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> ScorerOptions.builder().classes(Arrays.asList("x", " ")));
        assertTrue(blank.getMessage().contains("classes[1]"), blank.getMessage());
    }

    @Test
    void maxModelBytesMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScorerOptions.builder().maxModelBytes(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    @Test
    void runtimeOptionsAreFoundByTypeAndReplacedPerFormat() {
        FakeOnnxOptions first = new FakeOnnxOptions(1);
        FakeOnnxOptions second = new FakeOnnxOptions(2);
        ScorerOptions o = ScorerOptions.builder().runtime(first).runtime(second).build();
        assertSame(second, o.runtime(FakeOnnxOptions.class).orElseThrow());
    }

    @Test
    void builtOptionsDoNotChangeWhenTheBuilderDoes() {
        ScorerOptions.Builder b = ScorerOptions.builder().classes(List.of("a", "b"));
        ScorerOptions built = b.build();
        b.classes(List.of("c"));
        assertEquals(List.of("a", "b"), built.classes());
        assertEquals(List.of("a", "b"), built.toBuilder().build().classes());
    }
}
