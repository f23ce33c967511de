package dev.handoff.onnx.internal;

import dev.handoff.internal.tree.TreeBackend;
import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TreeCompileTest {
    private static TreeEnsemble model() {
        return OnnxTreeReader.read(OnnxGraph.read(CorpusModel.XGBOOST_MISSING_ONNX.modelBytes()).proto()).model();
    }

    @Test
    void everyLoadGetsTheBackendOfItsOwnModelEvenWhenMoreLoadsThanHelperThreadsAskAtOnce() {
        List<TreeEnsemble> models = new ArrayList<>();
        List<TreeCompile> compiles = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // two helper threads at most: the others are built by the loading thread in get()
            TreeEnsemble model = model();
            models.add(model);
            compiles.add(TreeCompile.start(model));
        }
        for (int i = 0; i < compiles.size(); i++) {
            TreeBackend backend = compiles.get(i).get();
            assertSame(models.get(i), backend.model());
            assertSame(backend, compiles.get(i).get(), "built once");
        }
    }

    @Test
    void cancellingAfterTheBackendWasBuiltChangesNothing() {
        TreeCompile compile = TreeCompile.start(model());
        TreeBackend backend = compile.get();
        compile.cancel();
        assertFalse(compile.isCancelled());
        assertSame(backend, compile.get());
    }

    @Test
    void anInterruptedLoadingThreadStillGetsTheBackendAndKeepsItsInterrupt() {
        TreeEnsemble model = model();
        TreeCompile compile = TreeCompile.start(model);
        Thread.currentThread().interrupt();
        try {
            assertSame(model, compile.get().model());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theHelperThreadsAreDaemonsSoTheyNeverKeepAJvmAlive() {
        TreeCompile compile = TreeCompile.start(model());
        compile.get();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("handoff-onnx-tree-compile-")) {
                assertTrue(t.isDaemon(), t.getName());
            }
        }
    }
}
