package dev.handoff.testing;

import dev.handoff.Batch;
import dev.handoff.InputField;
import dev.handoff.ValueType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeded generator of records and batches that a hostile or careless caller could send: wrong types,
 * {@code null}, {@code NaN}, infinities, huge strings, numbers as odd strings, extreme longs,
 * {@code BigDecimal}s, nested and self-referential collections, unknown and near-miss keys, arrays of
 * the wrong length. Each record starts from a real corpus row, so the other fields are valid.
 *
 * <pre>{@code
 * HostileRecords records = new HostileRecords(scorer.inputs(), model.inputRecords(), seed);
 * HostileRecords.Hostile r = records.next();   // r.record(), r.hazards()
 * }</pre>
 *
 * <p>Not generated: endless iterables and tensors of billions of elements, whose guards belong to
 * input binding and whose cost (seconds, gigabytes per record) does not fit a default build.
 */
public final class HostileRecords {
    /** What makes a value hostile; a record carries one or more. */
    public enum Hazard {
        WRONG_TYPE, NULL, NAN, INFINITY, HUGE_STRING, ODD_NUMBER_STRING, EXTREME_LONG, BIG_NUMBER, UNKNOWN_KEY,
        NEAR_MISS_KEY, NULL_KEY, NESTED, WRONG_LENGTH, UNKNOWN_CATEGORY,
        /** A collection that contains itself. Record-binding guards for it are being written (round 2). */
        SELF_REFERENTIAL,
        /** Lists nested thousands of levels deep. Record-binding guards for it are being written (round 2). */
        DEEP_NESTING
    }

    /** A record and the hazards it carries. */
    public record Hostile(Map<String, Object> record, Set<Hazard> hazards, String description) {
    }

    private static final String HUGE_DIGITS = "9".repeat(1_000_000);
    private static final String HUGE_TEXT = "\u00e9\u4e2d\n".repeat(300_000);
    private static final Object DEEPLY_NESTED = nest(5_000);
    private static final String[] ODD_NUMBERS = {"1e309", "-1e309", "1e-400", "-0", "0x10", " 12 ", "\uff11\uff12", "1_000",
        "NaN", "Infinity", "-Infinity", "+5", "5.", ".5", "9007199254740993", "1,5", "12abc", "\u0000", "true", "FALSE", ""};

    private final List<InputField> inputs;
    private final List<Map<String, Object>> rows;
    private final Random random;

    /**
     * @param inputs the scorer's inputs
     * @param rows valid records to start from (the corpus rows); may be empty
     * @param seed the seed: the same seed gives the same records
     */
    public HostileRecords(List<InputField> inputs, List<Map<String, Object>> rows, long seed) {
        this.inputs = List.copyOf(inputs);
        this.rows = rows;
        this.random = new Random(seed);
    }

    /** The next record: a corpus row with one to three values or keys made hostile. */
    public Hostile next() {
        Map<String, Object> record = rows.isEmpty() ? new HashMap<>() : new HashMap<>(rows.get(random.nextInt(rows.size())));
        Set<Hazard> hazards = EnumSet.noneOf(Hazard.class);
        StringBuilder description = new StringBuilder();
        int edits = 1 + random.nextInt(3);
        for (int k = 0; k < edits && !inputs.isEmpty(); k++) {
            InputField field = inputs.get(random.nextInt(inputs.size()));
            // deep nesting is rare: rendering a 5,000-deep list in a rejection message costs milliseconds
            Hazard hazard = random.nextInt(64) == 0 ? Hazard.DEEP_NESTING
                    : Hazard.values()[random.nextInt(Hazard.DEEP_NESTING.ordinal())];
            Object value = hostileValue(field, hazard, record);
            if (value != KEY_EDIT) {
                record.put(field.name(), value);
            }
            hazards.add(hazard);
            description.append(k == 0 ? "" : ", ").append(hazard).append(" on '").append(field.name()).append('\'');
        }
        return new Hostile(record, hazards, description.toString());
    }

    /** Marks an edit that changed a key rather than a value. */
    private static final Object KEY_EDIT = new Object();

    private Object hostileValue(InputField field, Hazard hazard, Map<String, Object> record) {
        Random r = random;
        int width = field.elementsPerRow();
        return switch (hazard) {
            case WRONG_TYPE -> pick(new Object(), List.of(1, 2), Map.of("a", 1), new int[] {1}, 'c', java.time.Instant.EPOCH,
                    java.util.Optional.of(1), new byte[] {1, 2}, Boolean.TRUE, 3.5, "abc", new StringBuilder("12"),
                    java.util.UUID.nameUUIDFromBytes(new byte[] {1}), Locale.ROOT);
            case NULL -> null;
            case NAN -> pick(Double.NaN, Float.NaN, "NaN");
            case INFINITY -> pick(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
            case HUGE_STRING -> pick(HUGE_DIGITS, HUGE_TEXT);
            case ODD_NUMBER_STRING -> ODD_NUMBERS[r.nextInt(ODD_NUMBERS.length)];
            case EXTREME_LONG -> pick(Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE, (short) -1, (byte) 127,
                    new AtomicLong(Long.MAX_VALUE), 9007199254740993L, Double.MAX_VALUE, -Double.MIN_VALUE, Float.MAX_VALUE);
            case BIG_NUMBER -> pick(new BigDecimal("1e400"), new BigDecimal("-1e-400"), new BigDecimal("0.1"),
                    new BigInteger(HUGE_DIGITS.substring(0, 400)), BigDecimal.valueOf(Long.MAX_VALUE).add(BigDecimal.ONE));
            case UNKNOWN_KEY -> {
                record.put("unknown_" + r.nextInt(1000), pick("x", 1, null, List.of()));
                yield KEY_EDIT;
            }
            case NEAR_MISS_KEY -> {
                Object value = record.remove(field.name());
                record.put(field.name().toUpperCase(Locale.ROOT) + (r.nextBoolean() ? "" : " "), value);
                yield KEY_EDIT;
            }
            case NULL_KEY -> {
                record.put(null, pick(1.0, "x", null));
                yield KEY_EDIT;
            }
            case NESTED -> pick(List.of(List.of(1.0, 2.0)), new double[][] {{1.0}, {2.0}}, Map.of("x", List.of(1)),
                    Collections.singletonList(Collections.singletonList("a")), new Object[] {new Object[] {1.0}});
            case WRONG_LENGTH -> wrongLength(width);
            case UNKNOWN_CATEGORY -> field.type() == ValueType.STRING && !field.categories().isEmpty()
                    ? pick("unseen-" + r.nextInt(100), field.categories().get(0).toUpperCase(Locale.ROOT) + " ", "")
                    : pick("unseen", "");
            case SELF_REFERENTIAL -> {
                if (r.nextBoolean()) {
                    List<Object> list = new ArrayList<>();
                    list.add(1.0);
                    list.add(list);
                    yield list;
                }
                Map<String, Object> map = new HashMap<>();
                map.put("self", map);
                yield map;
            }
            case DEEP_NESTING -> DEEPLY_NESTED;
        };
    }

    private Object wrongLength(int width) {
        int length = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> Math.max(0, width - 1);
            case 2 -> width + 1;
            default -> width * 2 + 3;
        };
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextGaussian();
        }
        return switch (random.nextInt(4)) {
            case 0 -> values;
            case 1 -> java.util.Arrays.stream(values).boxed().toList();
            case 2 -> java.util.Arrays.copyOf(new float[0], length);
            default -> java.util.Arrays.stream(values).mapToObj(Double::toString).toArray(String[]::new);
        };
    }

    private static Object nest(int depth) {
        Object nested = 1.0;
        for (int i = 0; i < depth; i++) {
            nested = List.of(nested);
        }
        return nested;
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /**
     * A batch of 1 to 16 rows with a column per input, each column of a random kind (doubles with NaN
     * and infinities, extreme longs, booleans, odd strings), sometimes of the wrong width per row,
     * missing, or under a near-miss name.
     */
    public Batch nextBatch() {
        int rows = 1 + random.nextInt(16);
        Batch.Builder batch = Batch.builder(rows);
        for (InputField field : inputs) {
            int length = rows * field.elementsPerRow();
            int roll = random.nextInt(20);
            if (roll == 0) {
                continue; // missing column
            }
            if (roll == 1) {
                length = rows * (field.elementsPerRow() + 1); // the builder refuses a length that is no multiple of rows
            }
            String name = roll == 2 ? field.name().toUpperCase(Locale.ROOT) : field.name();
            switch (random.nextInt(4)) {
                case 0 -> {
                    double[] v = new double[length];
                    for (int i = 0; i < length; i++) {
                        v[i] = pick(random.nextGaussian() * 100, Double.NaN, Double.POSITIVE_INFINITY, -Double.MAX_VALUE, 0.0, -0.0);
                    }
                    batch.doubles(name, v);
                }
                case 1 -> {
                    long[] v = new long[length];
                    for (int i = 0; i < length; i++) {
                        v[i] = pick((long) random.nextInt(100), Long.MAX_VALUE, Long.MIN_VALUE, 9007199254740993L, 0L);
                    }
                    batch.longs(name, v);
                }
                case 2 -> {
                    boolean[] v = new boolean[length];
                    for (int i = 0; i < length; i++) {
                        v[i] = random.nextBoolean();
                    }
                    batch.booleans(name, v);
                }
                default -> {
                    String[] v = new String[length];
                    for (int i = 0; i < length; i++) {
                        v[i] = random.nextInt(3) == 0 ? null : random.nextBoolean() ? ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)]
                                : field.categories().isEmpty() ? Integer.toString(random.nextInt(10))
                                : field.categories().get(random.nextInt(field.categories().size()));
                    }
                    batch.strings(name, v);
                }
            }
        }
        if (random.nextInt(5) == 0) {
            batch.strings("unknown_column", new String[rows]);
        }
        return batch.build();
    }

    /**
     * Whether a failure of this record may be tolerated because its record guard is still being written.
     * None is any more: self-referential and deeply nested values are refused by the binder's record
     * guards, so every hazard must end in a prediction or an {@code InvalidInputException}.
     */
    public static boolean awaitsRecordGuard(Set<Hazard> hazards) {
        return false;
    }

    /** The hazards of {@code hazards} whose record guards are still being written, for tallies. */
    public static String awaitedGuards(Set<Hazard> hazards) {
        Set<Hazard> awaited = EnumSet.noneOf(Hazard.class);
        for (Hazard h : List.of(Hazard.SELF_REFERENTIAL, Hazard.DEEP_NESTING)) {
            if (hazards.contains(h)) {
                awaited.add(h);
            }
        }
        return awaited.toString();
    }
}
