package dev.handoff.onnx.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.handoff.HandoffException;
import dev.handoff.InputField;
import dev.handoff.ModelInfo;
import dev.handoff.OutputField;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.ScoringEngine;
import dev.handoff.spi.OutputColumns;

import dev.handoff.ScoringTimeoutException;
import dev.handoff.internal.StoppableEngine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A loaded ONNX model: one ONNX Runtime session (thread-safe for concurrent runs), the input
 * encoder and the output decoder planned at load, and the direct buffers the input tensors are
 * written into. It owns the session and closes it once.
 *
 * <p>Each run carries its own {@code RunOptions}, so that it can be stopped: at the call's deadline
 * by one shared watchdog thread, or by {@link #stopRunningCalls()} when a closing scorer's wait has
 * run out. ONNX Runtime checks the terminate flag between operators (and loop iterations), not inside
 * one kernel: a single operator that never ends cannot be stopped, which is why cyclic tree
 * ensembles are refused at load.
 */
final class OnnxModel implements ScoringEngine, StoppableEngine {
    /** One daemon thread for every scorer's deadlines; a cancelled deadline leaves its queue at once. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelInfo info;
    private final OnnxInputEncoder encoder;
    private final OnnxOutputDecoder decoder;
    private final DirectBufferPool buffers;

    OnnxModel(OrtEnvironment env, OrtSession session, ModelInfo info, OnnxInputEncoder encoder, OnnxOutputDecoder decoder) {
        this.env = env;
        this.session = session;
        this.info = info;
        this.encoder = encoder;
        this.decoder = decoder;
        this.buffers = new DirectBufferPool(encoder.tensorCount());
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<InputField> inputs() {
        return encoder.fields();
    }

    @Override
    public List<OutputField> outputs() {
        return decoder.fields();
    }

    @Override
    public List<String> classes() {
        return decoder.classes();
    }

    @Override
    public java.util.Set<String> int32Inputs() {
        return encoder.int32Inputs();
    }

    /** Without a deadline: the scorer calls {@link #score(InputColumns, OutputColumns, long, String)}. */
    @Override
    public void score(InputColumns columns, OutputColumns out) {
        score(columns, out, 0, null);
    }

    @Override
    public void score(InputColumns columns, OutputColumns out, long timeoutNanos, String setting) {
        int rows = columns.rowCount();
        int chunk = encoder.fixedBatch() > 0 ? encoder.fixedBatch() : rows;
        DecodedColumns decoded;
        Deadline deadline = timeoutNanos > 0 ? new Deadline(System.nanoTime() + timeoutNanos, timeoutNanos, setting) : null;
        if (rows == chunk) {
            decoded = run(columns, 0, rows, chunk, deadline);
        } else {
            List<DecodedColumns> parts = new ArrayList<>();
            for (int from = 0; from < rows; from += chunk) {
                // a graph that fixes its batch size gets the last chunk padded with its last row, then cut
                int count = Math.min(chunk, rows - from);
                DecodedColumns part = run(columns, from, count, chunk, deadline);
                parts.add(count == chunk ? part : part.head(count));
            }
            decoded = DecodedColumns.concat(parts);
        }
        decoder.writeTo(decoded, out);
    }

    /** Runs rows {@code [from, from + count)}, padded to {@code rows}, and decodes all {@code rows}. */
    /** When a call must end, how long it was given, and which option gave it, for the message. */
    private record Deadline(long at, long timeoutNanos, String setting) {
    }

    private DecodedColumns run(InputColumns columns, int from, int count, int rows, Deadline deadline) {
        DirectBufferPool.TensorSet buffers = this.buffers.take();
        OnnxTensor[] tensors = null;
        Run run = null;
        try {
            tensors = encoder.encode(env, columns, from, count, rows, this.buffers, buffers);
            run = new Run(deadline == null ? 0 : deadline.at());
            try (OrtSession.Result result = session.run(inputMap(tensors), decoder.requestedOutputs(), run.options)) {
                return decoder.read(result, rows);
            }
        } catch (OrtException e) {
            if (run != null && run.stoppedBy == Run.DEADLINE) {
                throw new ScoringTimeoutException("scoring " + count + " row(s) with " + info.source()
                        + " was stopped at the call timeout of " + deadline.timeoutNanos() / 1_000_000 + " ms (" + deadline.setting() + ")",
                        deadline.timeoutNanos() / 1_000_000, e);
            }
            if (run != null && run.stoppedBy == Run.CLOSE) {
                throw new IllegalStateException("the scorer for " + info.source() + " was closed while this call ran "
                        + "(it ran past ScorerOptions.closeTimeout and was stopped)", e);
            }
            throw new dev.handoff.ScoringException("ONNX Runtime failed to score " + count + " row(s) of " + info.source() + ": "
                    + e.getMessage(), e);
        } finally {
            if (run != null) {
                run.finish();
            }
            if (tensors != null) {
                for (int t = 0; t < tensors.length; t++) {
                    if (!buffers.owns(t, tensors[t])) {
                        tensors[t].close();
                    }
                }
            }
            this.buffers.give(buffers);
        }
    }

    private Map<String, OnnxTensor> inputMap(OnnxTensor[] tensors) {
        if (tensors.length == 1) {
            return Map.of(encoder.tensorName(0), tensors[0]);
        }
        Map<String, OnnxTensor> map = new HashMap<>(tensors.length * 2);
        for (int t = 0; t < tensors.length; t++) {
            map.put(encoder.tensorName(t), tensors[t]);
        }
        return map;
    }

    @Override
    public void stopRunningCalls() {
        stopping = true;
        for (Run run : running) {
            run.stop(Run.CLOSE);
        }
    }

    /** One session run's RunOptions, stoppable until it finishes (never touched after it is closed). */
    private final class Run {
        static final int DEADLINE = 1;
        static final int CLOSE = 2;

        final OrtSession.RunOptions options;
        private final ScheduledFuture<?> timer;
        private boolean finished;
        volatile int stoppedBy;

        Run(long deadline) throws OrtException {
            options = new OrtSession.RunOptions();
            running.add(this);
            if (stopping) {
                stop(CLOSE);
            }
            if (deadline != 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    stop(DEADLINE);
                    timer = null;
                } else {
                    timer = WATCHDOG.schedule(() -> stop(DEADLINE), left, TimeUnit.NANOSECONDS);
                }
            } else {
                timer = null;
            }
        }

        synchronized void stop(int why) {
            if (finished || stoppedBy != 0) {
                return;
            }
            try {
                options.setTerminate(true);
                stoppedBy = why;
            } catch (OrtException e) {
                // the run goes on; its own end (or the next deadline) finishes it
            }
        }

        void finish() {
            if (timer != null) {
                timer.cancel(false);
            }
            running.remove(this);
            synchronized (this) {
                finished = true;
                options.close();
            }
        }
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "handoff-onnx-deadline");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    @Override
    public void close() {
        buffers.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new HandoffException("ONNX Runtime failed to close the session of " + info.source() + ": " + e.getMessage(), e);
        }
    }
}
