package dev.handoff;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One golden case: an input record and what the model must answer for it.
 *
 * <pre>{@code
 * VerificationCase churner = VerificationCase.builder(Map.of("tenure_months", 2, "plan", "basic"))
 *         .label("1")
 *         .probability("1", 0.8713)
 *         .build();
 * VerificationCase incomplete = VerificationCase.builder(Map.of("hp", 110)).noPrediction().build();
 * }</pre>
 *
 * <p>Only what is given is checked: a case with a label and no probabilities checks the label. A case
 * that expects no prediction passes only when the model gives none for its record (the row fails with
 * an {@link InvalidInputException}), as a framework that returned NA.
 *
 * @param name what reports call the case, for example {@code row 3 (line 5)}; empty for "case i"
 * @param input the record to score, keyed by input name
 * @param label the expected class label, or {@code null} when not checked
 * @param probabilities the expected probability per class label (in {@link Scorer#classes()} form)
 * @param value the expected regression value, or {@code null} when not checked
 * @param outputs the expected value per named output ({@link Prediction#output(String)}): a {@link Number},
 *                a {@code double[]}, or text (numbers separated by spaces are compared as numbers)
 * @param noPrediction whether the model must give no prediction for this record
 */
public record VerificationCase(String name, Map<String, Object> input, String label, Map<String, Double> probabilities,
                               Double value, Map<String, Object> outputs, boolean noPrediction) {

    public VerificationCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        input = Collections.unmodifiableMap(new LinkedHashMap<>(input)); // values may be null: missing
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(probabilities, "probabilities")));
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(outputs, "outputs")));
        if (noPrediction && (label != null || !probabilities.isEmpty() || value != null || !outputs.isEmpty())) {
            throw new IllegalArgumentException("case '" + name + "' expects no prediction, so it cannot also expect a label, "
                    + "probabilities, a value or outputs");
        }
    }

    /** A builder for a case that scores {@code input} (copied; a {@code null} value is a missing one). */
    public static Builder builder(Map<String, ?> input) {
        return new Builder(input);
    }

    /** Whether the case checks anything: an expected answer, or no prediction. */
    public boolean expectsSomething() {
        return noPrediction || label != null || !probabilities.isEmpty() || value != null || !outputs.isEmpty();
    }

    /** Builds a {@link VerificationCase}; each setter checks its argument. */
    public static final class Builder {
        private final Map<String, Object> input;
        private String name = "";
        private String label;
        private final Map<String, Double> probabilities = new LinkedHashMap<>();
        private Double value;
        private final Map<String, Object> outputs = new LinkedHashMap<>();
        private boolean noPrediction;

        private Builder(Map<String, ?> input) {
            this.input = new LinkedHashMap<>(Objects.requireNonNull(input, "input"));
        }

        /** What reports call the case; by default "case i" after its place in the {@link Verification}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The expected class label, exactly. */
        public Builder label(String label) {
            this.label = Objects.requireNonNull(label, "label");
            return this;
        }

        /** The expected probability of class {@code label}. */
        public Builder probability(String label, double probability) {
            probabilities.put(Objects.requireNonNull(label, "label"), probability);
            return this;
        }

        /** The expected probabilities, by class label. */
        public Builder probabilities(Map<String, Double> byLabel) {
            Objects.requireNonNull(byLabel, "probabilities").forEach(this::probability);
            return this;
        }

        /** The expected regression value. */
        public Builder value(double value) {
            this.value = value;
            return this;
        }

        /** The expected value of named output {@code name}: a number, a {@code double[]} or text. */
        public Builder output(String name, Object expected) {
            outputs.put(Objects.requireNonNull(name, "output name"), Objects.requireNonNull(expected, "expected value of output '" + name + "'"));
            return this;
        }

        /** The model must give no prediction for this record, as a framework that returned NA. */
        public Builder noPrediction() {
            this.noPrediction = true;
            return this;
        }

        public VerificationCase build() {
            return new VerificationCase(name, input, label, probabilities, value, outputs, noPrediction);
        }
    }
}
