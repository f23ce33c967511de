package dev.handoff.onnx;

import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.ScorerOptions.RuntimeOptions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.UnknownCategoryPolicy;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxOptionsTest {

    @Test
    void defaultsSuitAServiceThatBringsItsOwnThreads() {
        OnnxOptions o = OnnxOptions.defaults();
        assertEquals(1, o.intraOpThreads());
        assertEquals(1, o.interOpThreads());
        assertEquals(OnnxOptions.OptimizationLevel.ALL, o.optimizationLevel());
        assertEquals(OnnxOptions.ExecutionProvider.CPU, o.executionProvider());
        assertFalse(o.telemetry(), "ONNX Runtime telemetry is off unless asked for");
        assertTrue(OnnxOptions.builder().telemetry(true).build().telemetry());
    }

    @Test
    void toBuilderStartsFromEverySettingAndChangesOnlyWhatIsSet() {
        OnnxOptions o = OnnxOptions.builder().intraOpThreads(3).interOpThreads(2)
                .optimizationLevel(OnnxOptions.OptimizationLevel.BASIC).executionProvider(OnnxOptions.ExecutionProvider.CUDA)
                .cudaDeviceId(1).telemetry(true).maxNodes(500).featureNames(List.of("a", "b")).build();
        OnnxOptions copy = o.toBuilder().build();
        assertEquals(o.toString(), copy.toString());
        assertEquals(500, copy.maxNodes());
        assertEquals(List.of("a", "b"), copy.featureNames());
        OnnxOptions changed = o.toBuilder().intraOpThreads(8).build();
        assertEquals(8, changed.intraOpThreads());
        assertEquals(2, changed.interOpThreads());
        assertEquals(1, changed.cudaDeviceId());
        assertEquals(3, o.intraOpThreads(), "the original is unchanged");
    }

    @Test
    void featureNamesAreAnOnnxSettingRefusedByAPmmlModelAsRuntimeOptionsOfAnotherFormat() {
        assertEquals(List.of(), OnnxOptions.defaults().featureNames());
        ScorerOptions options = ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(List.of("a", "b")).build()).build();
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Scorer.load(CorpusModel.BREAST_CANCER_PMML.modelBytes(), options));
        assertEquals(ModelFormat.PMML, e.format());
        assertTrue(e.getMessage().contains("runtime options for ONNX were given, but the model is PMML"), e.getMessage());
    }

    @Test
    void duplicateOrBlankFeatureNamesAreRejectedWithTheValue() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> OnnxOptions.builder().featureNames(List.of("a", "b", "a")));
        assertTrue(dup.getMessage().contains("'a' appears twice"), dup.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> OnnxOptions.builder().featureNames(java.util.Arrays.asList("x", " ")));
        assertTrue(blank.getMessage().contains("featureNames[1]"), blank.getMessage());
    }

    @Test
    void settersRejectBadValuesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxOptions.builder().intraOpThreads(0));
        assertTrue(e.getMessage().contains("intraOpThreads") && e.getMessage().contains("got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OnnxOptions.builder().cudaDeviceId(-1));
    }

    @Test
    void aCudaDeviceWithoutTheCudaProviderIsRefusedAtBuildNotIgnored() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxOptions.builder().cudaDeviceId(1).build());
        assertEquals("cudaDeviceId(1) applies to ExecutionProvider.CUDA only, but the provider is CPU", e.getMessage());
        assertEquals(1, OnnxOptions.builder().cudaDeviceId(1).executionProvider(OnnxOptions.ExecutionProvider.CUDA).build().cudaDeviceId());
        assertThrows(NullPointerException.class, () -> OnnxOptions.builder().optimizationLevel(null));
    }

    @Test
    void cudaRequestedOnACpuOnlyBuildFallsBackToTheCpu() {
        ScorerOptions options = ScorerOptions.builder()
                .runtime(OnnxOptions.builder().executionProvider(OnnxOptions.ExecutionProvider.CUDA).build())
                .build();
        try (Scorer scorer = Scorer.load(CorpusModel.IRIS_ONNX.modelBytes(), options)) {
            assertEquals("setosa", scorer.score(Map.of("input", new double[] {5.1, 3.5, 1.4, 0.2})).label());
        }
    }

    @Test
    void everyOptimizationLevelAndMoreThreadsGiveTheSameAnswer() {
        Map<String, Object> record = Map.of("input", new double[] {6.3, 3.3, 6.0, 2.5});
        Map<String, Double> reference;
        try (Scorer scorer = Scorer.load(CorpusModel.IRIS_NOZIPMAP_ONNX.modelBytes())) {
            reference = scorer.score(record).probabilities();
        }
        for (OnnxOptions.OptimizationLevel level : OnnxOptions.OptimizationLevel.values()) {
            ScorerOptions options = ScorerOptions.builder()
                    .runtime(OnnxOptions.builder().optimizationLevel(level).intraOpThreads(2).interOpThreads(2).build())
                    .build();
            try (Scorer scorer = Scorer.load(CorpusModel.IRIS_NOZIPMAP_ONNX.modelBytes(), options)) {
                assertEquals(reference, scorer.score(record).probabilities(), level.name());
            }
        }
    }

    /** Settings for the PMML runtime, as PmmlOptions would be (that module is not a dependency here). */
    private record SomePmmlOptions() implements RuntimeOptions {
        @Override
        public ModelFormat format() {
            return ModelFormat.PMML;
        }
    }

    @Test
    void runtimeOptionsOfTheOtherFormatFailAtLoad() {
        ScorerOptions options = ScorerOptions.builder().runtime(new SomePmmlOptions()).build();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(CorpusModel.IRIS_ONNX.modelBytes(), options));
        assertEquals(ModelFormat.ONNX, e.format());
        assertTrue(e.getMessage().contains("runtime options for PMML") && e.getMessage().contains("the model is ONNX"),
                e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = UnknownCategoryPolicy.class, names = {"ERROR", "AS_MISSING"})
    void unknownCategoryPolicyFailsAtLoadForStringInputsWithoutDeclaredCategories(UnknownCategoryPolicy policy) {
        ScorerOptions options = ScorerOptions.builder().unknownCategories(policy).build();
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Scorer.load(CorpusModel.CHURN_PIPELINE_ONNX.modelBytes(), options));
        assertEquals(ModelFormat.ONNX, e.format());
        assertTrue(e.getMessage().contains("unknownCategories(" + policy + ")") && e.getMessage().contains("declares none"),
                e.getMessage());
    }
}
