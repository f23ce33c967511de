package dev.handoff;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one input received since the scorer was loaded: the signal that the data scored still looks
 * like the data the model was trained on. Part of {@link ScorerStats}.
 *
 * <pre>{@code
 * InputStats plan = scorer.stats().inputs().get("plan");
 * if (plan.unseenCategories() > 0) {
 *     log.warn("'plan' got categories the model never saw: {}", plan.topUnseenCategories());
 * }
 * }</pre>
 *
 * <p>Counted over the rows that reached the model, plus, for a row rejected at binding or by the
 * runtime, the input it was rejected for.
 *
 * @param name the input name
 * @param missing values that were missing ({@code null}, {@code NaN}, {@code ""}, an absent key), whether
 *                the model then handled them or the row was rejected for it
 * @param invalid values rejected for this input: wrong type, unparseable, an unknown category under
 *                {@link UnknownCategoryPolicy#ERROR}, or refused by the runtime
 * @param unseenCategories values outside the categories the input declares (only inputs that declare
 *                         them: PMML); under {@link UnknownCategoryPolicy#AS_MISSING} they count as missing,
 *                         since that is what the model got
 * @param topUnseenCategories the most frequent unseen values with their counts, most frequent first
 * @param outOfRange numbers outside the {@link #declaredRange()}
 * @param declaredRange the range the model declares for this input (PMML {@code Interval}s and valid
 *                      values); empty when it declares none, as ONNX models do
 */
public record InputStats(String name, long missing, long invalid, long unseenCategories, Map<String, Long> topUnseenCategories,
                         long outOfRange, Optional<ValueRange> declaredRange) {

    public InputStats {
        Objects.requireNonNull(name, "name");
        topUnseenCategories = Collections.unmodifiableMap(new LinkedHashMap<>(topUnseenCategories));
        Objects.requireNonNull(declaredRange, "declaredRange");
    }
}
