package dev.handoff.onnx.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.handoff.ModelFormat;
import dev.handoff.ModelInfo;
import dev.handoff.internal.ClassLabels;
import dev.handoff.internal.tree.TreeBackend;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.onnx.OnnxOptions;
import dev.handoff.testing.CorpusModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one compiled-tree-engine load of an ONNX model spends its time, phase by phase, on one thread: graph parse, load guards, ZipMap removal,
 * the session (one thread each, level ALL, as the checking session), encoder/decoder planning (split into ONNX
 * Runtime's calls and the planners), tree read, backend (bytecode compile), binding, model, session close; then, for
 * comparison, session create+close with level NONE and BASIC, with ONNX Runtime's default SessionOptions (its intra-op
 * pool, started at create and joined at close) and from the model's own bytes. Medians of {@code n} after {@code n}
 * warm-up loads: {@code java -cp ... dev.handoff.onnx.internal.LoadPhasesMain XGBOOST_MISSING_ONNX 100}.
 */
public final class LoadPhasesMain {
    private LoadPhasesMain() {
    }

    public static void main(String[] args) throws Exception {
        CorpusModel model = CorpusModel.valueOf(args[0]);
        int n = Integer.parseInt(args[1]);
        byte[] bytes = model.modelBytes();
        List<String> columns = model.inputColumns(); // read from the corpus files: outside the timed phases
        OrtEnvironment env = OnnxEnvironment.get(OnnxOptions.defaults());
        Map<String, long[]> t = new LinkedHashMap<>();
        String[] names = {"parse", "guards", "zipmap", "session ALL t1", "encdec", "treeread", "backend", "bind+outputs",
                "model", "close", "create+close NO_OPT t1", "create+close BASIC t1", "create+close default opts", "create+close ALL t1 orig bytes"};
        for (String s : names) {
            t.put(s, new long[n]);
        }
        long[][] sub = new long[5][n];
        for (int w = 0; w < 2; w++) {
            for (int i = 0; i < n; i++) {
                long a = System.nanoTime();
                OnnxGraph graph = OnnxGraph.read(bytes);
                long b = System.nanoTime();
                OnnxLoadGuards.check(graph, 100_000);
                long c = System.nanoTime();
                ZipMapRemoval zm = ZipMapRemoval.plan(graph);
                long d = System.nanoTime();
                byte[] sb = zm.isEmpty() ? bytes : zm.modelBytes();
                OrtSession session = session(env, sb, OrtSession.SessionOptions.OptLevel.ALL_OPT, true);
                long e = System.nanoTime();
                var ii = session.getInputInfo();
                long e1 = System.nanoTime();
                OnnxInputEncoder enc = OnnxInputEncoder.plan(ii, columns);
                long e2 = System.nanoTime();
                var oi = session.getOutputInfo();
                long e3 = System.nanoTime();
                List<String> gc = graph.classLabels().stream().map(ClassLabels::canonical).toList();
                OnnxOutputDecoder dec = OnnxOutputDecoder.plan(oi, gc, List.of(), zm.mapOutputs(), new ArrayList<>());
                long e4 = System.nanoTime();
                session.getMetadata();
                long f = System.nanoTime();
                sub[0][i] = e1 - e; sub[1][i] = e2 - e1; sub[2][i] = e3 - e2; sub[3][i] = e4 - e3; sub[4][i] = f - e4;
                OnnxTreeCoverage cov = OnnxTreeReader.read(graph.proto());
                long g = System.nanoTime();
                TreeBackend be = TreeEngines.backendFor(cov.model());
                long h = System.nanoTime();
                OnnxTreeFeatures feats = cov.features().bind(enc);
                OnnxTreeModel.Outputs outs = OnnxTreeModel.outputs(dec.plan(), be, new String[1]);
                long k = System.nanoTime();
                ModelInfo info = new ModelInfo("x", ModelFormat.ONNX, dec.task(), "", "", "", Map.of());
                new OnnxTreeModel(info, enc, dec, feats, be, outs).close();
                long l = System.nanoTime();
                session.close();
                long m = System.nanoTime();
                long[] vals = {b - a, c - b, d - c, e - d, f - e, g - f, h - g, k - h, l - k, m - l};
                for (int j = 0; j < vals.length; j++) {
                    t.get(names[j])[i] = vals[j];
                }
                long p = System.nanoTime();
                session(env, sb, OrtSession.SessionOptions.OptLevel.NO_OPT, true).close();
                long q = System.nanoTime();
                session(env, sb, OrtSession.SessionOptions.OptLevel.BASIC_OPT, true).close();
                long r = System.nanoTime();
                try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                    env.createSession(sb, so).close();
                }
                long s = System.nanoTime();
                session(env, bytes, OrtSession.SessionOptions.OptLevel.ALL_OPT, true).close();
                long u = System.nanoTime();
                t.get(names[10])[i] = q - p;
                t.get(names[11])[i] = r - q;
                t.get(names[12])[i] = s - r;
                t.get(names[13])[i] = u - s;
            }
        }
        System.out.println(model + " (" + bytes.length + " bytes)");
        double total = 0;
        int idx = 0;
        for (var en : t.entrySet()) {
            long[] v = en.getValue();
            Arrays.sort(v);
            if (idx++ < 10) {
                total += v[n / 2] / 1e6;
            }
            System.out.printf("  %-28s %7.3f ms%n", en.getKey(), v[n / 2] / 1e6);
        }
        String[] sn = {"getInputInfo", "encoder plan", "getOutputInfo", "decoder plan", "getMetadata"};
        for (int j = 0; j < 5; j++) {
            Arrays.sort(sub[j]);
            System.out.printf("    %-26s %7.3f ms%n", sn[j], sub[j][n / 2] / 1e6);
        }
        System.out.printf("  sum of engine-path medians %.3f ms%n", total);
    }

    static OrtSession session(OrtEnvironment env, byte[] b, OrtSession.SessionOptions.OptLevel level, boolean one) throws Exception {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (one) {
                so.setIntraOpNumThreads(1);
                so.setInterOpNumThreads(1);
            }
            so.setOptimizationLevel(level);
            return env.createSession(b, so);
        }
    }
}
