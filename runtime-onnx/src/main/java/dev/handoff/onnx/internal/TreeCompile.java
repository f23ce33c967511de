package dev.handoff.onnx.internal;

import dev.handoff.internal.tree.TreeBackend;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.internal.tree.TreeEnsemble;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tree engine's backend for a covered model ({@link TreeEngines#backendFor}: bytecode compile), built on a helper
 * thread while the loading thread has ONNX Runtime create the session that checks and describes the model: the load
 * then takes about the longer of the two instead of their sum. The work is the same, on another thread: CPU time per
 * load does not fall. When no helper thread is free (at most two, daemon, gone after 10 s idle), or none has picked the
 * work up yet when the loading thread needs it, the loading thread builds the backend itself.
 *
 * <pre>{@code
 * TreeCompile compile = TreeCompile.start(coverage.model());
 * try { ... create the session ...; TreeBackend backend = compile.get(); } finally { compile.cancel(); }
 * }</pre>
 */
final class TreeCompile {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, 2, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
            r -> {
                Thread t = new Thread(r, "handoff-onnx-tree-compile-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy()); // discarded: the loading thread runs it in get()

    private final FutureTask<TreeBackend> task;

    private TreeCompile(FutureTask<TreeBackend> task) {
        this.task = task;
    }

    /** Starts building the backend on a helper thread, when one is free. */
    static TreeCompile start(TreeEnsemble model) {
        TreeCompile compile = new TreeCompile(new FutureTask<>(() -> TreeEngines.backendFor(model)));
        POOL.execute(compile.task);
        return compile;
    }

    /**
     * The backend: built here if no helper thread has started on it, else waited for. What the build threw is thrown
     * as it was (a {@link StackOverflowError} included); an interrupt is kept for the caller, not acted on.
     */
    TreeBackend get() {
        task.run(); // does nothing when a helper thread has started it (or it is done)
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Drops the work when it is not needed any more (a load that failed or does not use the engine); idempotent. */
    void cancel() {
        task.cancel(false);
    }

    /** Whether the work was dropped before it ran to the end (for tests). */
    boolean isCancelled() {
        return task.isCancelled();
    }
}
