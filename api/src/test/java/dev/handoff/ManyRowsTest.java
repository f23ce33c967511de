package dev.handoff;

import dev.handoff.Scorer.ColumnCheck;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream entry point (records in, outcomes out, chunked inside) and the header check. */
class ManyRowsTest {

    private static Map<String, Object> record(int i) {
        // every 1000th record is bad (x not a number), every 700th the model refuses (x = 13)
        Object x = i % 1000 == 999 ? "oops" : i % 700 == 699 ? 13 : (double) (i % 10);
        return Map.of("x", x, "plan", "basic");
    }

    @Test
    void aStreamOfRecordsGivesEveryRecordItsOutcomeInOrderWithFailuresNumberedInTheStream() {
        try (Scorer scorer = new DefaultScorer(new LineModel(1), ScorerOptions.defaults());
             Stream<Prediction> outcomes = scorer.score(IntStream.range(0, 2500).mapToObj(ManyRowsTest::record))) {
            List<Prediction> all = outcomes.collect(Collectors.toList());

            assertEquals(2500, all.size());
            for (int i = 0; i < all.size(); i++) {
                Prediction p = all.get(i);
                if (i == 999 || i == 1999) {
                    assertTrue(p.failed(), "record " + i);
                    assertEquals(i, p.failure().orElseThrow().row(), "the row is the record's index in the stream");
                    assertTrue(p.failure().orElseThrow().getMessage().contains("not a number"));
                } else if (i % 700 == 699) {
                    assertTrue(p.failed(), "record " + i);
                    assertEquals(i, p.failure().orElseThrow().row());
                    assertTrue(p.failure().orElseThrow().getMessage().contains("refuses 13"));
                } else {
                    assertEquals(1 + 2 * (i % 10), p.value(), 0.0, "record " + i);
                }
            }
            assertEquals(2500, scorer.stats().rows());
            assertEquals(3, scorer.stats().calls(), "2,500 records in chunks of 1,024: three model calls");
        }
    }

    @Test
    void aStreamIsReadOneChunkAtATime() {
        AtomicInteger pulled = new AtomicInteger();
        Iterator<Map<String, Object>> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                return Map.of("x", (double) (pulled.getAndIncrement() % 10));
            }
        };
        Stream<Map<String, Object>> records = StreamSupport.stream(
                java.util.Spliterators.spliteratorUnknownSize(endless, java.util.Spliterator.ORDERED), false);
        try (Scorer scorer = new DefaultScorer(new LineModel(0), ScorerOptions.defaults())) {
            List<Double> first = scorer.score(records).limit(1500).map(Prediction::value).collect(Collectors.toList());

            assertEquals(1500, first.size());
            assertEquals(4.0, first.get(1032), 0.0);
            assertEquals(2048, pulled.get(), "an endless source is read chunk by chunk, never to its end");
        }
    }

    @Test
    void closingTheOutcomesClosesTheRecords() {
        AtomicBoolean closed = new AtomicBoolean();
        try (Scorer scorer = new DefaultScorer(new LineModel(0), ScorerOptions.defaults())) {
            Stream<Map<String, Object>> records = Stream.of(Map.<String, Object>of("x", 1.0)).onClose(() -> closed.set(true));
            try (Stream<Prediction> outcomes = scorer.score(records)) {
                assertEquals(2.0, outcomes.findFirst().orElseThrow().value(), 0.0);
            }
            assertTrue(closed.get());
        }
    }

    @Test
    void aHeaderCheckNamesMissingInputsUnreadColumnsAndNearMisses() {
        try (Scorer scorer = new DefaultScorer(new LineModel(0), ScorerOptions.defaults())) {
            ColumnCheck check = scorer.checkColumns(List.of("id", "Plan", "x"));

            assertEquals(List.of("plan"), check.missingInputs());
            assertEquals(List.of("id"), check.unreadColumns());
            assertEquals(Map.of("Plan", "plan"), check.nearMisses());
            assertFalse(check.matches());
            assertEquals("missing inputs [plan]; columns only nearly matching an input: 'Plan' (did you mean 'plan'?); "
                    + "columns the model does not read [id]", check.toString());

            ColumnCheck good = scorer.checkColumns(new ArrayList<>(List.of("plan", "x", "id")));
            assertTrue(good.matches());
            assertEquals(List.of("id"), good.unreadColumns());
            assertTrue(good.missingInputs().isEmpty() && good.nearMisses().isEmpty());
        }
    }
}
