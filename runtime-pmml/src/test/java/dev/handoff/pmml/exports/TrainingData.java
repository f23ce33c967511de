package dev.handoff.pmml.exports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated training data, row major in float (what both trainers read): {@code continuous} numeric columns with
 * about one value in eight missing (NaN) and values on a coarse grid (so that rows sit on split thresholds),
 * then {@code categorical} integer-coded columns (0..levels-1, also sometimes missing), and a label per task.
 */
final class TrainingData {
    final int rows;
    final int columns;
    final int continuous;
    final int levels;
    final float[] x;
    final float[] label;
    final List<String> names;

    private TrainingData(int rows, int continuous, int categorical, int levels, long seed, String task, int classes) {
        this.rows = rows;
        this.continuous = continuous;
        this.columns = continuous + categorical;
        this.levels = levels;
        this.x = new float[rows * columns];
        this.label = new float[rows];
        List<String> n = new ArrayList<>();
        for (int c = 0; c < continuous; c++) {
            n.add("x" + c);
        }
        for (int c = 0; c < categorical; c++) {
            n.add("cat" + c);
        }
        this.names = List.copyOf(n);
        Random random = new Random(seed);
        for (int r = 0; r < rows; r++) {
            double signal = 0;
            for (int c = 0; c < columns; c++) {
                float v;
                if (c < continuous) {
                    v = (float) (Math.round(random.nextGaussian() * 8) / 4.0);
                    signal += (c % 2 == 0 ? 1 : -0.7) * v * (1 + c);
                } else {
                    int level = random.nextInt(levels);
                    v = level;
                    signal += (level % 3 == 0 ? 2.5 : level % 3 == 1 ? -1.5 : 0.5);
                }
                if (random.nextInt(8) == 0) {
                    v = Float.NaN;
                    signal += c == 0 ? 3 : 0; // missing carries information: a direction is learnt for it
                }
                x[r * columns + c] = v;
            }
            double noise = random.nextGaussian() * 0.5;
            label[r] = switch (task) {
                case "regression" -> (float) (signal + noise);
                case "binary" -> signal + noise > 0 ? 1 : 0;
                case "multiclass" -> (float) Math.floorMod((long) Math.floor((signal + noise) / 3), classes);
                case "count" -> (float) Math.min(30, Math.floor(Math.exp(0.15 * signal + 0.3 * noise)));
                case "positive" -> (float) (0.5 + Math.min(30, Math.exp(0.15 * signal + 0.3 * noise)));
                default -> throw new IllegalArgumentException(task);
            };
        }
    }

    static TrainingData of(String task, int classes, int categorical, long seed) {
        return new TrainingData(300, 5, categorical, 6, seed, task, classes);
    }

    float value(int row, int column) {
        return x[row * columns + column];
    }

    /** The data with each missing (NaN) value written as {@code code}: a trainer told that code means missing. */
    float[] withMissingAs(float code) {
        float[] coded = x.clone();
        for (int i = 0; i < coded.length; i++) {
            if (Float.isNaN(coded[i])) {
                coded[i] = code;
            }
        }
        return coded;
    }

    /** The rows as Handoff records with each missing value given as {@code code}. */
    List<Map<String, Object>> records(double code) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            Map<String, Object> record = record(r);
            for (int c = 0; c < continuous; c++) {
                record.putIfAbsent(names.get(c), code);
            }
            result.add(record);
        }
        return result;
    }

    /** The rows as Handoff records: a missing (NaN) value is an absent key; categorical codes as integers. */
    List<Map<String, Object>> records() {
        List<Map<String, Object>> result = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            result.add(record(r));
        }
        return result;
    }

    Map<String, Object> record(int r) {
        Map<String, Object> record = new LinkedHashMap<>();
        for (int c = 0; c < columns; c++) {
            float v = value(r, c);
            if (Float.isNaN(v)) {
                continue;
            }
            record.put(names.get(c), c < continuous ? (Object) (double) v : (Object) (int) v);
        }
        return record;
    }

    double[] doubles() {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
