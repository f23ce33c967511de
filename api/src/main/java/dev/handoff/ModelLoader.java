package dev.handoff;

import dev.handoff.internal.observe.SafeListener;
import dev.handoff.internal.observe.StatsRecorder;
import dev.handoff.internal.LogText;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.spi.ScoringEngine;
import dev.handoff.spi.ScorerProvider.ModelSource;
import dev.handoff.spi.ScorerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.ServiceLoader;

/** Reads model bytes, detects the format, finds its runtime and wraps the result into a {@link Scorer}. */
final class ModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(Scorer.class);

    private ModelLoader() {
    }

    static Scorer load(Path path, ScorerOptions options) {
        Objects.requireNonNull(path, "model path");
        Objects.requireNonNull(options, "options");
        return load(path.toString(), ModelBytes.read(path, options.maxModelBytes()), options);
    }

    static Scorer load(InputStream in, ScorerOptions options) {
        Objects.requireNonNull(in, "model stream");
        Objects.requireNonNull(options, "options");
        return load("<stream>", ModelBytes.read(in, options.maxModelBytes()), options);
    }

    static Scorer load(byte[] model, ScorerOptions options) {
        Objects.requireNonNull(model, "model bytes");
        Objects.requireNonNull(options, "options");
        if (model.length > options.maxModelBytes()) {
            throw ModelBytes.tooLarge("<bytes>", "the model has " + model.length + " bytes", options.maxModelBytes());
        }
        return load("<bytes>", model.clone(), options);
    }

    private static Scorer load(String name, byte[] bytes, ScorerOptions options) {
        return load(name, bytes, options, options.stats() ? new StatsRecorder() : null);
    }

    /**
     * Loads model bytes already read (and not to be copied) into a scorer that records into {@code recorder}
     * ({@code null}: no stats); for a {@link ReloadingScorer}, whose models share one recorder.
     */
    static DefaultScorer load(String name, byte[] bytes, ScorerOptions options, StatsRecorder recorder) {
        long started = System.nanoTime();
        ModelFormat format = ModelFormatDetector.detect(name, bytes);
        for (ModelFormat given : options.runtimeFormats()) {
            if (given != format) {
                throw new ModelLoadException(name, format, "runtime options for " + given + " were given, but the model is "
                        + format + "; remove them, or load the model they were meant for");
            }
        }
        ScorerProvider provider = findProvider(name, format);
        ModelSource source = new ModelSource(name, bytes, sha256(bytes));
        ScoringEngine model;
        try {
            model = provider.load(source, options);
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new ModelLoadException(name, format, "the " + format + " runtime failed: " + e, e);
        }
        DefaultScorer scorer;
        try {
            String inapplicable = inapplicableOption(model, options);
            if (inapplicable != null) {
                throw new ModelLoadException(name, format, inapplicable, null);
            }
            scorer = new DefaultScorer(model, options, recorder);
        } catch (ModelLoadException e) {
            model.close();
            throw e;
        } catch (RuntimeException e) {
            model.close();
            throw new ModelLoadException(name, format, "the runtime described the model inconsistently: " + e.getMessage(), e);
        }
        ModelInfo info = scorer.info();
        String engine = info.metadata().get(TreeEngines.METADATA_KEY);
        LOG.info("Loaded {} {} model {} ({} bytes, sha256 {}, producer '{}', {} inputs, {} classes) in {} ms{}",
                info.format(), info.task(), LogText.safe(name, 1_000), bytes.length, info.sha256().substring(0, 12),
                LogText.safe(info.producer()),
                scorer.inputs().size(), scorer.classes().size(), (System.nanoTime() - started) / 1_000_000,
                engine == null ? "" : "; engine: " + LogText.safe(engine));
        SafeListener listener = options.safeListener();
        if (listener != null) {
            listener.modelLoaded(info, System.nanoTime() - started);
        }
        return scorer;
    }

    /** Why an option cannot apply to this model (so it must not be silently ignored), or {@code null}. */
    private static String inapplicableOption(ScoringEngine model, ScorerOptions options) {
        if (options.unknownCategories() != UnknownCategoryPolicy.AS_MODEL_DECLARES) {
            boolean strings = false;
            boolean declared = false;
            for (InputField f : model.inputs()) {
                strings |= f.type() == ValueType.STRING;
                declared |= !f.categories().isEmpty();
            }
            if (strings && !declared) {
                return "unknownCategories(" + options.unknownCategories() + ") needs the model to declare the categories of its "
                        + "string inputs, and this model declares none, so an unknown category could not be recognised; "
                        + "use the default AS_MODEL_DECLARES, or check categories before scoring";
            }
        }
        return null;
    }

    private static ScorerProvider findProvider(String name, ModelFormat format) {
        try {
            for (ScorerProvider provider : ServiceLoader.load(ScorerProvider.class, ModelLoader.class.getClassLoader())) {
                if (provider.format() == format) {
                    return provider;
                }
            }
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null && context != ModelLoader.class.getClassLoader()) {
                for (ScorerProvider provider : ServiceLoader.load(ScorerProvider.class, context)) {
                    if (provider.format() == format) {
                        return provider;
                    }
                }
            }
        } catch (java.util.ServiceConfigurationError e) {
            throw new ModelLoadException(name, format, "a Handoff runtime on the class path is broken: " + e.getMessage(), e);
        }
        throw new ModelLoadException(name, format, "no " + format + " runtime is on the class path; add the dependency "
                + "dev.handoff:handoff-runtime-" + format.name().toLowerCase(java.util.Locale.ROOT));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
