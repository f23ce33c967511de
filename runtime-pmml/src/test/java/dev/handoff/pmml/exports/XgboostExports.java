package dev.handoff.pmml.exports;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.dmg.pmml.PMML;
import org.jpmml.xgboost.HasXGBoostOptions;
import org.jpmml.xgboost.Learner;
import org.jpmml.xgboost.XGBoostUtil;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains small XGBoost models with xgboost4j (the native library inside its jar) and converts each saved model
 * with JPMML-XGBoost's Java API, as its command line would.
 *
 * <p>xgboost4j 3.0.4, not 3.4.0: JPMML-XGBoost 1.9.6 (the newest on Maven Central here) reads DART's tree weights
 * where XGBoost up to 3.3 writes them; 3.4.0 moved them, and the converter then drops them silently (its document
 * differed from 3.4.0's predictions by up to 1e-2; JPMML-XGBoost 1.9.7 follows the move).
 */
final class XgboostExports {
    private XgboostExports() {
    }

    /** Every XGBoost export of the suite. */
    static List<RealExport> all() {
        List<RealExport> exports = new ArrayList<>();
        Map<String, Object> base = Map.of("max_depth", 4, "eta", 0.3, "nthread", 1, "seed", 7, "tree_method", "hist");
        exports.add(export("xgboost reg:squarederror base_score 0.5 (json, compact)", "regression", 1, 0,
                with(base, "objective", "reg:squarederror", "base_score", 0.5), 30, "json", Map.of()));
        exports.add(export("xgboost reg:squarederror intercept (ubj, not compact)", "regression", 1, 0,
                with(base, "objective", "reg:squarederror"), 30, "ubj", Map.of(HasXGBoostOptions.OPTION_COMPACT, false)));
        exports.add(export("xgboost reg:squarederror exact depth 6 (ubj, input_float)", "regression", 1, 0,
                with(base, "objective", "reg:squarederror", "tree_method", "exact", "max_depth", 6), 20, "ubj",
                Map.of(HasXGBoostOptions.OPTION_INPUT_FLOAT, true)));
        exports.add(export("xgboost binary:logistic (json)", "binary", 2, 0,
                with(base, "objective", "binary:logistic"), 30, "json", Map.of()));
        exports.add(export("xgboost multi:softprob 3 classes (json)", "multiclass", 3, 0,
                with(base, "objective", "multi:softprob", "num_class", 3), 20, "json", Map.of()));
        // a float sum, then a float RegressionModel with normalizationMethod exp (logit for reg:logistic): served
        exports.add(export("xgboost count:poisson (json)", "count", 1, 0,
                with(base, "objective", "count:poisson"), 30, "json", Map.of()));
        exports.add(export("xgboost reg:gamma (json)", "positive", 1, 0,
                with(base, "objective", "reg:gamma"), 20, "json", Map.of()));
        exports.add(export("xgboost reg:tweedie (ubj)", "count", 1, 0,
                with(base, "objective", "reg:tweedie", "tweedie_variance_power", 1.3), 20, "ubj", Map.of()));
        exports.add(export("xgboost reg:logistic (json)", "binary", 1, 0,
                with(base, "objective", "reg:logistic"), 20, "json", Map.of()));
        exports.add(export("xgboost random forest num_parallel_tree 8 (json)", "regression", 1, 0,
                with(base, "objective", "reg:squarederror", "num_parallel_tree", 8, "subsample", 0.8,
                        "colsample_bynode", 0.8, "eta", 1.0, "max_depth", 5), 1, "json", Map.of()));
        exports.add(export("xgboost dart binary:logistic (ubj)", "binary", 2, 0,
                with(base, "objective", "binary:logistic", "booster", "dart", "rate_drop", 0.1, "skip_drop", 0.5), 20,
                "ubj", Map.of())); // a weightedSum of trees (the DART weights) in a modelChain: served
        exports.add(export("xgboost categorical binary:logistic (json)", "binary", 2, 1,
                with(base, "objective", "binary:logistic", "max_cat_to_onehot", 1), 20, "json", Map.of()));
        // each feature through if(and(isNotMissing(x), notEqual(x, -999)), x): served (a call with a missing x goes to JPMML)
        exports.add(missingCoded("xgboost missing -999 (json)", "regression", with(base, "objective", "reg:squarederror"), -999f));
        exports.add(missingCoded("xgboost missing -999 count:poisson (json)", "count", with(base, "objective", "count:poisson"), -999f));
        return exports;
    }

    /** A model trained with a number, not NaN, meaning missing: the converter's {@code missing} option. */
    static RealExport missingCoded(String name, String task, Map<String, Object> params, float code) {
        TrainingData data = TrainingData.of(task, 1, 0, 42 + name.hashCode());
        try {
            DMatrix matrix = new DMatrix(data.withMissingAs(code), data.rows, data.columns, code);
            try {
                matrix.setLabel(data.label);
                matrix.setFeatureNames(data.names.toArray(String[]::new));
                matrix.setFeatureTypes(data.names.stream().map(n -> "q").toArray(String[]::new));
                Booster booster = XGBoost.train(matrix, params, 20, Map.of(), null, null);
                try {
                    float[][] predicted = booster.predict(matrix);
                    Learner learner = XGBoostUtil.loadLearner(new ByteArrayInputStream(booster.toByteArray("json")));
                    Map<String, Object> options = new LinkedHashMap<>();
                    options.put(HasXGBoostOptions.OPTION_COMPACT, true);
                    options.put(HasXGBoostOptions.OPTION_MISSING, code);
                    PMML pmml = learner.encodePMML(options, "y", null, null);
                    double[][] expected = new double[data.rows][];
                    for (int r = 0; r < data.rows; r++) {
                        expected[r] = toDoubles(predicted[r]);
                    }
                    return new RealExport(name, RealExport.serialize(pmml), data.records(code), expected, List.of(), 1e-5, null);
                } finally {
                    booster.dispose();
                }
            } finally {
                matrix.dispose();
            }
        } catch (Exception e) {
            throw new IllegalStateException(name + ": " + e, e);
        }
    }

    static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
        Map<String, Object> params = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put((String) keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    static RealExport export(String name, String task, int classes, int categorical, Map<String, Object> params,
                             int rounds, String format, Map<String, Object> converterOptions) {
        TrainingData data = TrainingData.of(task, classes, categorical, 42 + name.hashCode());
        try {
            DMatrix matrix = new DMatrix(data.x, data.rows, data.columns, Float.NaN);
            try {
                matrix.setLabel(data.label);
                matrix.setFeatureNames(data.names.toArray(String[]::new));
                String[] types = new String[data.columns];
                for (int c = 0; c < data.columns; c++) {
                    types[c] = c < data.continuous ? "q" : "c";
                }
                matrix.setFeatureTypes(types);
                Booster booster = XGBoost.train(matrix, params, rounds, Map.of(), null, null);
                try {
                    byte[] saved = booster.toByteArray(format);
                    // the trainer's answers from the saved model, the very file that is converted
                    Booster reloaded = XGBoost.loadModel(saved);
                    float[][] predicted;
                    try {
                        predicted = reloaded.predict(matrix);
                    } finally {
                        reloaded.dispose();
                    }
                    Learner learner = XGBoostUtil.loadLearner(new ByteArrayInputStream(saved));
                    Map<String, Object> options = new LinkedHashMap<>();
                    options.put(HasXGBoostOptions.OPTION_COMPACT, true);
                    options.put(HasXGBoostOptions.OPTION_MISSING, Float.NaN);
                    options.put(HasXGBoostOptions.OPTION_PRUNE, true);
                    options.putAll(converterOptions);
                    List<String> labels = classes > 1 ? classLabels(classes) : null;
                    PMML pmml = learner.encodePMML(options, "y", labels, null);
                    double[][] expected = new double[data.rows][];
                    for (int r = 0; r < data.rows; r++) {
                        float[] p = predicted[r];
                        expected[r] = classes == 2 ? new double[] {1 - (double) p[0], p[0]} : toDoubles(p);
                    }
                    return new RealExport(name, RealExport.serialize(pmml), data.records(), expected,
                            labels == null ? List.of() : labels, 1e-5, null);
                } finally {
                    booster.dispose();
                }
            } finally {
                matrix.dispose();
            }
        } catch (Exception e) {
            throw new IllegalStateException(name + ": " + e, e);
        }
    }

    static List<String> classLabels(int classes) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            labels.add(Integer.toString(i));
        }
        return labels;
    }

    static double[] toDoubles(float[] p) {
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = p[i];
        }
        return d;
    }
}
