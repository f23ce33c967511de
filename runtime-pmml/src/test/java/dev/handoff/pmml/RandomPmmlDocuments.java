package dev.handoff.pmml;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The random documents the random parity tests generate ({@link RandomPmmlTreeParityTest},
 * {@link RandomPmmlDerivedFieldParityTest}), for tests elsewhere that check how documents load.
 */
public final class RandomPmmlDocuments {
    private RandomPmmlDocuments() {
    }

    /** Tree ensembles of every kind {@link RandomPmmlTreeParityTest} generates, {@code perKind} of each. */
    public static List<String> trees(long seed, int perKind) {
        Random random = new Random(seed);
        List<String> documents = new ArrayList<>();
        for (int i = 0; i < perKind; i++) {
            documents.add(new RandomPmmlTreeParityTest.Generator(random).regression());
            documents.add(new RandomPmmlTreeParityTest.Generator(random).regressionWithExtras());
            documents.add(new RandomPmmlTreeParityTest.Generator(random).forest());
            documents.add(new RandomPmmlTreeParityTest.Generator(random).chain());
            documents.add(new RandomPmmlTreeParityTest.Generator(random).regressionChain());
            documents.add(new RandomPmmlTreeParityTest.Generator(random).votingForestUnderContinue());
        }
        return documents;
    }

    /** Segmentations over derived fields as {@link RandomPmmlDerivedFieldParityTest} generates them, varied. */
    public static List<String> derivedFields(long seed, int count) {
        Random random = new Random(seed);
        List<String> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RandomPmmlDerivedFieldParityTest.Generator generator = new RandomPmmlDerivedFieldParityTest.Generator(random);
            generator.filters = i % 2 == 0;
            documents.add(generator.document(i % 3 == 1, i % 4 >= 2));
        }
        return documents;
    }
}
