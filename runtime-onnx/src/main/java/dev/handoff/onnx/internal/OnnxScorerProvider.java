package dev.handoff.onnx.internal;

import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.onnx.OnnxOptions;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.handoff.ModelFormat;
import dev.handoff.ModelInfo;
import dev.handoff.ModelLoadException;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.ClassLabels;
import dev.handoff.internal.LogText;
import dev.handoff.internal.tree.TreeBackend;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.spi.ScoringEngine;
import dev.handoff.spi.ScorerProvider.ModelSource;
import dev.handoff.spi.ScorerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX runtime of Handoff, found by {@link java.util.ServiceLoader}; users never call it directly.
 *
 * <pre>{@code
 * // on the class path: dev.handoff:handoff-runtime-onnx
 * try (Scorer scorer = Scorer.load(Path.of("model.onnx"))) { ... }
 * }</pre>
 */
public final class OnnxScorerProvider implements ScorerProvider {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxScorerProvider.class);

    /** For {@link java.util.ServiceLoader}. */
    public OnnxScorerProvider() {
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.ONNX;
    }

    @Override
    public ScoringEngine load(ModelSource source, ScorerOptions options) {
        OnnxOptions onnx = options.runtime(OnnxOptions.class).orElse(OnnxOptions.defaults());
        OnnxGraph graph;
        try {
            graph = OnnxGraph.read(source.bytes());
        } catch (IllegalArgumentException e) {
            throw failure(source, "the file is truncated or corrupt: " + e.getMessage(), e);
        }
        try {
            OnnxLoadGuards.check(graph, onnx.maxNodes());
        } catch (IllegalArgumentException e) {
            throw failure(source, e.getMessage(), e);
        }
        OrtEnvironment env;
        try {
            env = OnnxEnvironment.get(onnx);
        } catch (IllegalStateException e) {
            throw failure(source, e.getMessage(), e.getCause());
        }
        ZipMapRemoval zipMaps = ZipMapRemoval.plan(graph);
        // whether the trees can serve is known from the graph alone: a session that only checks and describes the model
        // for the engine is then created with settings that cost no thread pool and no device (see SessionSettings);
        // with the engine switched off the trees are not read at all
        TreeRead read = options.compiledTrees() ? readTrees(graph) : TreeRead.SWITCHED_OFF;
        OnnxTreeCoverage coverage = read.coverage();
        SessionSettings serving = SessionSettings.serving(onnx);
        SessionSettings settings = coverage.covered() && options.compiledTrees() ? SessionSettings.checking(onnx) : serving;
        OrtSession session = null;
        byte[] sessionBytes = source.bytes();
        if (!zipMaps.isEmpty()) {
            try {
                session = createSession(env, zipMaps.modelBytes(), settings, source);
                sessionBytes = zipMaps.modelBytes();
            } catch (OrtException e) {
                // the graph as exported still loads below; its probabilities are then read map by map
                LOG.debug("ONNX model {}: the graph without its ZipMap node does not load ({}); keeping the ZipMap",
                        LogText.safe(source.name(), 1_000), LogText.safe(e.getMessage(), 1_000));
                zipMaps = ZipMapRemoval.none();
            }
        }
        if (session == null) {
            try {
                session = createSession(env, source.bytes(), settings, source);
            } catch (OrtException e) {
                throw failure(source, explain(e), e);
            }
        }
        if (read.failure() != null) {
            // a model ONNX Runtime serves must never fail to load because the tree engine could not read it
            LOG.warn("ONNX model {}: the compiled tree engine could not read it ({}); ONNX Runtime serves it",
                    LogText.safe(source.name(), 1_000), LogText.safe(String.valueOf(read.failure()), 1_000));
        }
        OnnxInputEncoder encoder;
        OnnxOutputDecoder decoder;
        ModelInfo info;
        try {
            encoder = OnnxInputEncoder.plan(session.getInputInfo(), onnx.featureNames());
            List<String> skipped = new ArrayList<>();
            List<String> graphClasses = graph.classLabels().stream().map(ClassLabels::canonical).toList();
            decoder = OnnxOutputDecoder.plan(session.getOutputInfo(), graphClasses, options.classes(),
                    zipMaps.mapOutputs(), skipped);
            for (String s : skipped) {
                LOG.warn("ONNX model {}: {}", LogText.safe(source.name()), LogText.safe(s)); // output names come from the file
            }
            if (decoder.task() == ModelTask.OTHER) {
                LOG.warn("ONNX model {}: neither a classifier nor a regression was recognised (outputs {}); its results are "
                        + "available through Prediction.output(name) only. For a classifier without class labels in the "
                        + "graph (e.g. PyTorch), give them with ScorerOptions.classes (--classes on the command line)",
                        LogText.safe(source.name()), LogText.safe(String.valueOf(session.getOutputNames())));
            }
            TreeEngineChoice trees = treeEngine(coverage, source, options, encoder, decoder);
            info = info(source, session, graph, decoder, trees.line());
            if (trees.outputs() != null) {
                // ONNX Runtime planned the inputs, outputs and metadata, and refused what it refuses; the trees serve
                closeQuietly(session);
                return new OnnxTreeModel(info, encoder, decoder, trees.features(), trees.backend(), trees.outputs());
            }
            if (settings.equals(serving)) {
                return new OnnxModel(env, session, info, encoder, decoder);
            }
        } catch (IllegalArgumentException e) {
            closeQuietly(session);
            throw failure(source, e.getMessage(), e);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            throw failure(source, "ONNX Runtime could not describe the model: " + e.getMessage(), e);
        }
        // the trees were covered but do not serve after all (inputs or outputs they cannot take): ONNX Runtime serves,
        // with the user's settings, the graph the checking session described
        closeQuietly(session);
        try {
            return new OnnxModel(env, createSession(env, sessionBytes, serving, source), info, encoder, decoder);
        } catch (OrtException e) {
            throw failure(source, explain(e), e);
        }
    }

    /**
     * The settings of the session created at load. One that ONNX Runtime serves with takes the user's {@link OnnxOptions}.
     * One created only to check and describe a model the compiled tree engine serves ({@link #checking}) takes the
     * user's optimization level, so that ONNX Runtime runs the same graph checks and transformations and refuses what it
     * refuses with them, but no intra-op or inter-op thread pool (one thread each: a pool of N threads is started per
     * session and joined at close) and no CUDA device: thread counts and execution providers change how a graph runs,
     * not which graphs load (a CUDA provider that cannot take a node leaves it to the CPU) nor their inputs, outputs
     * and metadata.
     */
    record SessionSettings(int intraOpThreads, int interOpThreads, OnnxOptions.OptimizationLevel optimizationLevel,
                           OnnxOptions.ExecutionProvider executionProvider, int cudaDeviceId) {
        static SessionSettings serving(OnnxOptions onnx) {
            return new SessionSettings(onnx.intraOpThreads(), onnx.interOpThreads(), onnx.optimizationLevel(),
                    onnx.executionProvider(), onnx.executionProvider() == OnnxOptions.ExecutionProvider.CUDA ? onnx.cudaDeviceId() : 0);
        }

        static SessionSettings checking(OnnxOptions onnx) {
            return new SessionSettings(1, 1, onnx.optimizationLevel(), OnnxOptions.ExecutionProvider.CPU, 0);
        }
    }

    private static OrtSession createSession(OrtEnvironment env, byte[] model, SessionSettings settings, ModelSource source)
            throws OrtException {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(settings.intraOpThreads());
            so.setInterOpNumThreads(settings.interOpThreads());
            so.setOptimizationLevel(switch (settings.optimizationLevel()) {
                case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            });
            if (settings.executionProvider() == OnnxOptions.ExecutionProvider.CUDA) {
                addCuda(so, source, settings.cudaDeviceId());
            }
            return env.createSession(model, so);
        }
    }

    private static void addCuda(OrtSession.SessionOptions so, ModelSource source, int deviceId) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            LOG.warn("ONNX model {}: the CUDA execution provider was requested, but this ONNX Runtime build has none "
                    + "(use the com.microsoft.onnxruntime:onnxruntime_gpu artifact); running on the CPU", LogText.safe(source.name(), 1_000));
            return;
        }
        try {
            so.addCUDA(deviceId);
        } catch (OrtException | RuntimeException | LinkageError e) {
            LOG.warn("ONNX model {}: the CUDA execution provider could not be used on device {} ({}); running on the CPU",
                    LogText.safe(source.name(), 1_000), deviceId, LogText.safe(e.getMessage(), 1_000));
        }
    }

    /** Says in words what ONNX Runtime's load error means for the user. */
    private static String explain(OrtException e) {
        String message = String.valueOf(e.getMessage());
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        String what;
        if (lower.contains("protobuf parsing failed") || lower.contains("no graph was found")) {
            what = "the file is not a valid ONNX model (corrupt or truncated)";
        } else if (lower.contains("could not find an implementation") || lower.contains("not implemented")
                || lower.contains("no op registered")
                || lower.contains("unrecognized attribute") || lower.contains("no opset import for domain")
                || lower.contains("is not a registered function/op") || lower.contains("unsupported")) {
            what = "the model uses an operator or opset this ONNX Runtime does not support";
        } else if (lower.contains("ir_version") || lower.contains("ir version")) {
            what = "the model's ONNX IR version is not supported by this ONNX Runtime";
        } else {
            what = "ONNX Runtime could not create a session";
        }
        return what + " (ONNX Runtime: " + message.strip() + ")";
    }

    /**
     * Which engine serves: the line for {@code ModelInfo.metadata()} ({@link TreeEngines#METADATA_KEY}) and, when the
     * compiled tree engine serves, what it serves with ({@code outputs} null otherwise).
     */
    private record TreeEngineChoice(String line, OnnxTreeFeatures features, TreeBackend backend, OnnxTreeModel.Outputs outputs) {
        static TreeEngineChoice runtime(String reason) {
            return new TreeEngineChoice(TreeEngines.runtime(reason), null, null, null);
        }
    }

    /** What the tree engine read of the graph, and why it could not read it (null when it could). */
    private record TreeRead(OnnxTreeCoverage coverage, Throwable failure) {
        static final TreeRead SWITCHED_OFF = new TreeRead(OnnxTreeCoverage.notCovered(TreeEngines.SWITCHED_OFF), null);
    }

    /** What the tree engine reads of the graph; a graph it cannot read is not covered (the runtime serves it). */
    private static TreeRead readTrees(OnnxGraph graph) {
        try {
            return new TreeRead(OnnxTreeReader.read(graph.proto()), null);
        } catch (RuntimeException | StackOverflowError e) {
            return new TreeRead(OnnxTreeCoverage.notCovered("the tree engine failed to read the graph: "
                    + e.getClass().getSimpleName()), e);
        }
    }

    private static TreeEngineChoice treeEngine(OnnxTreeCoverage coverage, ModelSource source, ScorerOptions options,
                                               OnnxInputEncoder encoder, OnnxOutputDecoder decoder) {
        try {
            if (!options.compiledTrees()) {
                return TreeEngineChoice.runtime(TreeEngines.SWITCHED_OFF);
            }
            if (!coverage.covered()) {
                return TreeEngineChoice.runtime(coverage.reason());
            }
            OnnxTreeFeatures features;
            try {
                features = coverage.features().bind(encoder);
            } catch (IllegalArgumentException e) {
                return TreeEngineChoice.runtime(e.getMessage());
            }
            if (features.featureCount() != coverage.model().featureCount()) {
                return TreeEngineChoice.runtime("the tree ensemble reads " + coverage.model().featureCount()
                        + " features, its input planned " + features.featureCount());
            }
            TreeBackend backend = TreeEngines.backendFor(coverage.model());
            String[] why = new String[1];
            OnnxTreeModel.Outputs outputs = OnnxTreeModel.outputs(decoder.plan(), backend, why);
            if (outputs == null) {
                return TreeEngineChoice.runtime(why[0]);
            }
            return new TreeEngineChoice(TreeEngines.compiled(backend), features, backend, outputs);
        } catch (RuntimeException | StackOverflowError e) {
            // a model ONNX Runtime serves must never fail to load because the tree engine could not read it
            LOG.warn("ONNX model {}: the compiled tree engine could not read it ({}); ONNX Runtime serves it",
                    LogText.safe(source.name(), 1_000), LogText.safe(String.valueOf(e), 1_000));
            return TreeEngineChoice.runtime("the tree engine failed to read the graph: " + e.getClass().getSimpleName());
        }
    }

    private static ModelInfo info(ModelSource source, OrtSession session, OnnxGraph graph,
                                  OnnxOutputDecoder decoder, String engine) throws OrtException {
        var meta = session.getMetadata();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("onnx.ir_version", Long.toString(graph.irVersion()));
        graph.opsets().forEach((domain, version) -> metadata.put("onnx.opset." + domain, Long.toString(version)));
        putIfPresent(metadata, "onnx.graph_name", meta.getGraphName());
        putIfPresent(metadata, "onnx.domain", meta.getDomain());
        metadata.put("onnx.model_version", Long.toString(meta.getVersion()));
        meta.getCustomMetadata().forEach(metadata::put);
        metadata.put(TreeEngines.METADATA_KEY, engine); // after the file's own entries: a file cannot forge it
        String producer = (graph.producerName() + " " + graph.producerVersion()).strip();
        String description = meta.getDescription() == null || meta.getDescription().isBlank()
                ? meta.getGraphDescription() : meta.getDescription();
        return new ModelInfo(source.name(), ModelFormat.ONNX, decoder.task(), producer, description, source.sha256(), metadata);
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    private static ModelLoadException failure(ModelSource source, String reason, Throwable cause) {
        return new ModelLoadException(source.name(), ModelFormat.ONNX, reason, cause);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException | RuntimeException e) {
            LOG.debug("closing a session that failed to load", e);
        }
    }
}
