package dev.handoff.pmml.internal;

import dev.handoff.pmml.RandomPmmlDocuments;
import dev.handoff.spi.ScorerProvider.ModelSource;
import dev.handoff.testing.CorpusModel;
import org.dmg.pmml.PMML;
import org.jpmml.evaluator.visitors.ModelEvaluatorVisitorBattery;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-walk interning ({@link PmmlInterning}) leaves the class model JPMML's {@link ModelEvaluatorVisitorBattery}
 * leaves: for every document, parsed once with the battery and once with the walk, both graphs hold equal values
 * everywhere and the same instance at the same positions (so memory and answers are JPMML's), also across documents
 * loaded one after another on a thread (JPMML's element caches are per thread, its number caches process-wide). Each
 * side parses on a fresh thread of its own, so that neither reuses the other's per-thread element caches.
 */
class PmmlInterningTest {
    /** A document where the integer interner shares Integers that are not cached boxes (above 127). */
    private static final String INTEGER_ATTRIBUTES = "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">"
            + "<Header/><DataDictionary numberOfFields=\"1000\"><DataField name=\"x\" optype=\"continuous\" "
            + "dataType=\"double\"/><DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
            + "<TreeModel functionName=\"regression\"><MiningSchema><MiningField name=\"x\"/>"
            + "<MiningField name=\"y\" usageType=\"target\"/></MiningSchema><Node score=\"0\"><True/></Node>"
            + "<ModelVerification recordCount=\"1000\" fieldCount=\"1000\"><VerificationFields>"
            + "<VerificationField field=\"x\"/></VerificationFields><InlineTable/></ModelVerification></TreeModel></PMML>";

    @Test
    void theBatteryIsTheOneTheWalkSplits() {
        assertTrue(PmmlInterning.splitsBattery(), "JPMML's ModelEvaluatorVisitorBattery changed: the walk would "
                + "fall back to the whole battery (correct, but slow); review PmmlInterning against the new battery");
    }

    @Test
    void everyCorpusDocumentGetsTheBatterysClassModel() {
        for (CorpusModel model : pmmlCorpus()) {
            assertNull(compare(List.of(model.modelBytes()), PmmlInterning.ALL), model.name());
        }
    }

    @Test
    void randomTreeEnsemblesGetTheBatterysClassModel() {
        List<String> documents = RandomPmmlDocuments.trees(20261207L, 15);
        for (int i = 0; i < documents.size(); i++) {
            assertNull(compare(List.of(utf8(documents.get(i))), PmmlInterning.ALL), "random tree document " + i
                    + "\n" + documents.get(i));
        }
    }

    @Test
    void randomDerivedFieldEnsemblesGetTheBatterysClassModel() {
        List<String> documents = RandomPmmlDocuments.derivedFields(77L, 60);
        for (int i = 0; i < documents.size(); i++) {
            assertNull(compare(List.of(utf8(documents.get(i))), PmmlInterning.ALL), "random derived-field document "
                    + i + "\n" + documents.get(i));
        }
    }

    @Test
    void integerAttributesAreSharedAsUnderTheBattery() {
        assertNull(compare(List.of(utf8(INTEGER_ATTRIBUTES)), PmmlInterning.ALL));
    }

    @Test
    void documentsLoadedOneAfterAnotherOnAThreadShareAsUnderTheBattery() {
        List<byte[]> documents = new ArrayList<>();
        for (CorpusModel model : pmmlCorpus()) {
            documents.add(model.modelBytes());
        }
        documents.add(CorpusModel.XGBOOST_MISSING_PMML.modelBytes()); // the same document again: shares everything
        RandomPmmlDocuments.trees(5L, 2).forEach(d -> documents.add(utf8(d)));
        assertNull(compare(documents, PmmlInterning.ALL));
    }

    @Test
    void leavingOutAnyInterningKindChangesTheClassModel() {
        // the comparison can fail: without any one of the seven kinds, some document differs from the battery's
        List<byte[]> documents = new ArrayList<>();
        pmmlCorpus().forEach(m -> documents.add(m.modelBytes()));
        RandomPmmlDocuments.trees(20261207L, 3).forEach(d -> documents.add(utf8(d)));
        documents.add(utf8(INTEGER_ATTRIBUTES));
        assertEquals(7, PmmlInterning.KINDS.size());
        for (Map.Entry<String, Integer> kind : PmmlInterning.KINDS.entrySet()) {
            int without = PmmlInterning.ALL & ~kind.getValue();
            boolean detected = documents.stream().anyMatch(d -> compare(List.of(d), without) != null);
            assertTrue(detected, "leaving out " + kind.getKey() + " went unnoticed");
        }
    }

    /**
     * Parses the documents one after another with JPMML's battery on one fresh thread and with the walk (these kinds)
     * on another, and compares the results as one joint graph; null when alike, else the first difference.
     */
    private static String compare(List<byte[]> documents, int kinds) {
        List<PMML> battery = onFreshThread(documents, pmml -> new ModelEvaluatorVisitorBattery(false).applyTo(pmml));
        List<PMML> walk = onFreshThread(documents, pmml -> PmmlInterning.applyBattery(pmml, kinds));
        ClassModelComparison comparison = new ClassModelComparison();
        for (int i = 0; i < documents.size(); i++) {
            String difference = comparison.difference(battery.get(i), walk.get(i));
            if (difference != null) {
                return "document " + i + ": " + difference;
            }
        }
        assertTrue(comparison.instances() > 20, "the comparison walked " + comparison.instances() + " instances");
        return null;
    }

    private static List<PMML> onFreshThread(List<byte[]> documents, java.util.function.Consumer<PMML> battery) {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Function<byte[], PMML> parse = bytes -> {
                PMML pmml = new PmmlDocumentParser(1000, 10_000_000).unmarshal(new ModelSource("<bytes>", bytes, "0"));
                battery.accept(pmml);
                return pmml;
            };
            return thread.submit(() -> documents.stream().map(parse).toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            thread.shutdown();
        }
    }

    private static List<CorpusModel> pmmlCorpus() {
        return Stream.of(CorpusModel.values()).filter(m -> !m.isOnnx()).toList();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
