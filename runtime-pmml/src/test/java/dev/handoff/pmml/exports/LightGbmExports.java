package dev.handoff.pmml.exports;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_float;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import org.dmg.pmml.PMML;
import org.jpmml.lightgbm.GBDT;
import org.jpmml.lightgbm.HasLightGBMOptions;
import org.jpmml.lightgbm.LightGBMUtil;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains small LightGBM models through LightGBM's C API (SynapseML's JNI build, {@code lightgbmlib}, whose jar
 * carries the native libraries) and converts each saved text model with JPMML-LightGBM's Java API, as its command
 * line would.
 *
 * <p>Two exports are not compared with their trainer, as JPMML-LightGBM 1.6.5's document differs from LightGBM
 * 3.3.5's own predictions on the training rows (by up to about 1 in the regression value): {@code zero_as_missing=true}
 * and {@code linear_tree=true}. Handoff's engine and JPMML-Evaluator still agree bit for bit on both.
 */
final class LightGbmExports {
    private static final String NATIVES = "com/microsoft/ml/lightgbm/linux/x86_64/";
    private static boolean loaded;

    private LightGbmExports() {
    }

    /** Whether this machine can run the JNI build (it ships Linux x86-64, Windows and macOS x86-64 libraries). */
    static boolean available() {
        return System.getProperty("os.name").toLowerCase().contains("linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
    }

    /** Every LightGBM export of the suite. */
    static List<RealExport> all() {
        loadNatives();
        String base = "num_threads=1 seed=7 deterministic=true force_row_wise=true verbose=-1 num_leaves=15"
                + " min_data_in_leaf=5 min_data_per_group=5 cat_smooth=1 max_cat_to_onehot=2";
        List<RealExport> exports = new ArrayList<>();
        exports.add(export("lightgbm regression categorical (compact)", "regression", 1, 1,
                base + " objective=regression", 30, Map.of()));
        exports.add(export("lightgbm regression categorical (not compact)", "regression", 1, 1,
                base + " objective=regression", 30, Map.of(HasLightGBMOptions.OPTION_COMPACT, false)));
        exports.add(export("lightgbm binary", "binary", 2, 0, base + " objective=binary", 30, Map.of()));
        exports.add(export("lightgbm binary categorical", "binary", 2, 1, base + " objective=binary", 30, Map.of()));
        exports.add(export("lightgbm multiclass 3 classes", "multiclass", 3, 0,
                base + " objective=multiclass num_class=3", 20, Map.of()));
        // a double sum, then a RegressionModel with normalizationMethod exp: served
        exports.add(export("lightgbm poisson", "count", 1, 0, base + " objective=poisson", 30, Map.of()));
        exports.add(export("lightgbm random forest", "regression", 1, 0,
                base + " objective=regression boosting=rf bagging_freq=1 bagging_fraction=0.8 feature_fraction=0.8", 20,
                Map.of()));
        exports.add(export("lightgbm dart", "regression", 1, 0, base + " objective=regression boosting=dart drop_rate=0.2",
                20, Map.of()));
        exports.add(export("lightgbm zero_as_missing", "regression", 1, 0,
                base + " objective=regression zero_as_missing=true", 30, Map.of()).withTolerance(Double.NaN));
        exports.add(export("lightgbm linear_tree", "regression", 1, 0, base + " objective=regression linear_tree=true",
                20, Map.of()).withTolerance(Double.NaN).declinedBecause("PMML Node with an embedded model not covered"));
        return exports;
    }

    static synchronized void loadNatives() {
        if (loaded) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("handoff-lightgbm");
            for (String name : List.of("lib_lightgbm.so", "lib_lightgbm_swig.so")) {
                Path file = dir.resolve(name);
                try (InputStream in = LightGbmExports.class.getClassLoader().getResourceAsStream(NATIVES + name)) {
                    if (in == null) {
                        throw new IllegalStateException("lightgbmlib has no " + NATIVES + name);
                    }
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                file.toFile().deleteOnExit();
                System.load(file.toAbsolutePath().toString()); // lib_lightgbm first: the JNI library links to it
            }
            dir.toFile().deleteOnExit();
            loaded = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RealExport export(String name, String task, int classes, int categorical, String params, int rounds,
                             Map<String, Object> converterOptions) {
        TrainingData data = TrainingData.of(task, classes, categorical, 42 + name.hashCode());
        int n = data.rows;
        int p = data.columns;
        String datasetParams = params + (categorical > 0 ? " categorical_feature=" + data.continuous : "");
        SWIGTYPE_p_double x = lightgbmlib.new_doubleArray((long) n * p);
        SWIGTYPE_p_float y = lightgbmlib.new_floatArray(n);
        SWIGTYPE_p_p_void datasetOut = lightgbmlib.new_voidpp();
        SWIGTYPE_p_p_void boosterOut = lightgbmlib.new_voidpp();
        SWIGTYPE_p_int finished = lightgbmlib.new_intp();
        SWIGTYPE_p_long_long length = lightgbmlib.new_int64_tp();
        SWIGTYPE_p_double predicted = lightgbmlib.new_doubleArray((long) n * classes);
        SWIGTYPE_p_void dataset = null;
        SWIGTYPE_p_void booster = null;
        try {
            double[] values = data.doubles();
            for (int i = 0; i < values.length; i++) {
                lightgbmlib.doubleArray_setitem(x, i, values[i]);
            }
            for (int r = 0; r < n; r++) {
                lightgbmlib.floatArray_setitem(y, r, data.label[r]);
            }
            check(lightgbmlib.LGBM_DatasetCreateFromMat(lightgbmlib.double_to_voidp_ptr(x),
                    lightgbmlibConstants.C_API_DTYPE_FLOAT64, n, p, 1, datasetParams, null, datasetOut));
            dataset = lightgbmlib.voidpp_value(datasetOut);
            check(lightgbmlib.LGBM_DatasetSetField(dataset, "label", lightgbmlib.float_to_voidp_ptr(y), n,
                    lightgbmlibConstants.C_API_DTYPE_FLOAT32));
            check(lightgbmlib.LGBM_DatasetSetFeatureNames(dataset, data.names.toArray(String[]::new), p));
            check(lightgbmlib.LGBM_BoosterCreate(dataset, params, boosterOut));
            booster = lightgbmlib.voidpp_value(boosterOut);
            for (int i = 0; i < rounds; i++) {
                check(lightgbmlib.LGBM_BoosterUpdateOneIter(booster, finished));
                if (lightgbmlib.intp_value(finished) != 0) {
                    break;
                }
            }
            String model = lightgbmlib.LGBM_BoosterSaveModelToStringSWIG(booster, 0, -1,
                    lightgbmlibConstants.C_API_FEATURE_IMPORTANCE_SPLIT, 1L << 26, length);
            check(lightgbmlib.LGBM_BoosterPredictForMat(booster, lightgbmlib.double_to_voidp_ptr(x),
                    lightgbmlibConstants.C_API_DTYPE_FLOAT64, n, p, 1, lightgbmlibConstants.C_API_PREDICT_NORMAL, 0, -1,
                    "", length, predicted));
            double[][] expected = new double[n][];
            for (int r = 0; r < n; r++) {
                if (classes == 2) {
                    double p1 = lightgbmlib.doubleArray_getitem(predicted, r);
                    expected[r] = new double[] {1 - p1, p1};
                } else {
                    expected[r] = new double[classes];
                    for (int k = 0; k < classes; k++) {
                        expected[r][k] = lightgbmlib.doubleArray_getitem(predicted, (long) r * classes + k);
                    }
                }
            }
            GBDT gbdt = LightGBMUtil.loadGBDT(new ByteArrayInputStream(model.getBytes(StandardCharsets.UTF_8)));
            Map<String, Object> options = new LinkedHashMap<>();
            options.put(HasLightGBMOptions.OPTION_COMPACT, true);
            options.putAll(converterOptions);
            List<String> labels = classes > 1 ? XgboostExports.classLabels(classes) : null;
            PMML pmml = gbdt.encodePMML(options, "y", labels);
            return new RealExport(name, RealExport.serialize(pmml), data.records(), expected,
                    labels == null ? List.of() : labels, 1e-9, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (booster != null) {
                lightgbmlib.LGBM_BoosterFree(booster);
            }
            if (dataset != null) {
                lightgbmlib.LGBM_DatasetFree(dataset);
            }
            lightgbmlib.delete_doubleArray(x);
            lightgbmlib.delete_floatArray(y);
            lightgbmlib.delete_doubleArray(predicted);
            lightgbmlib.delete_voidpp(datasetOut);
            lightgbmlib.delete_voidpp(boosterOut);
            lightgbmlib.delete_intp(finished);
            lightgbmlib.delete_int64_tp(length);
        }
    }

    private static void check(int status) {
        if (status != 0) {
            throw new IllegalStateException("LightGBM: " + lightgbmlib.LGBM_GetLastError());
        }
    }
}
