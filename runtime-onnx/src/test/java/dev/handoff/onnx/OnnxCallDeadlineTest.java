package dev.handoff.onnx;

import dev.handoff.Prediction;
import dev.handoff.ReloadingScorer;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.ScoringTimeoutException;
import dev.handoff.testing.CapturedLog;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.OperatorSetIdProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import dev.handoff.onnx.internal.proto.TensorShapeProto;
import dev.handoff.onnx.internal.proto.TypeProto;
import dev.handoff.onnx.internal.proto.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A graph that never ends (a {@code Loop} of {@code trips} iterations carrying {@code x} through an
 * Identity body) is stopped at the call timeout, or by {@code close()} once its wait has run out.
 * The JUnit timeouts only keep a regression from hanging the build; nothing asserts on time.
 */
class OnnxCallDeadlineTest {

    private static ValueInfoProto value(String name, int elemType, Long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Long d : dims) {
            shape.addDim(d == null ? TensorShapeProto.Dimension.newBuilder().setDimParam("n").build()
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d).build());
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    /** {@code y = x} after {@code trips} iterations of a Loop whose body passes x through. */
    static byte[] loop(long trips) {
        int f = TensorProto.DataType.FLOAT_VALUE;
        int i64 = TensorProto.DataType.INT64_VALUE;
        int bool = TensorProto.DataType.BOOL_VALUE;
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addInput(value("i", i64)).addInput(value("cond_in", bool)).addInput(value("x_in", f, null, 1L))
                .addOutput(value("cond_out", bool)).addOutput(value("x_out", f, null, 1L))
                .addNode(NodeProto.newBuilder().setOpType("Identity").addInput("cond_in").addOutput("cond_out"))
                .addNode(NodeProto.newBuilder().setOpType("Identity").addInput("x_in").addOutput("x_out"))
                .build();
        GraphProto graph = GraphProto.newBuilder().setName("never-ending")
                .addInput(value("x", f, null, 1L)).addOutput(value("y", f, null, 1L))
                .addInitializer(TensorProto.newBuilder().setName("trips").setDataType(i64).addInt64Data(trips))
                .addInitializer(TensorProto.newBuilder().setName("go").setDataType(TensorProto.DataType.BOOL_VALUE).addInt32Data(1))
                .addNode(NodeProto.newBuilder().setOpType("Loop").setName("loop")
                        .addAllInput(List.of("trips", "go", "x")).addOutput("y")
                        .addAttribute(AttributeProto.newBuilder().setName("body").setType(AttributeProto.AttributeType.GRAPH).setG(body)))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("handoff-tests").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).build().toByteArray();
    }

    @Test
    void aShortLoopScoresThroughTheSameGraph() {
        try (Scorer scorer = Scorer.load(loop(3), ScorerOptions.builder().callTimeout(Duration.ofMinutes(5)).build())) {
            Prediction p = scorer.score(Map.of("x", 2.5f));
            assertEquals(2.5, p.value(), 0.0);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aCallThatNeverEndsIsStoppedAtTheCallTimeoutAndTheScorerStaysUsable() {
        try (Scorer scorer = Scorer.load(loop(1_000_000_000_000_000L), ScorerOptions.builder().callTimeout(Duration.ofMillis(200)).build())) {
            ScoringTimeoutException e = assertThrows(ScoringTimeoutException.class, () -> scorer.score(Map.of("x", 1f)));

            assertEquals(200, e.timeoutMillis());
            assertTrue(e.getMessage().contains("call timeout of 200 ms"), e.getMessage());
            ScoringTimeoutException again = assertThrows(ScoringTimeoutException.class,
                    () -> scorer.scoreAll(List.of(Map.of("x", 1f), Map.of("x", 2f))));
            assertEquals(200, again.timeoutMillis());
        }
    }

    /**
     * Starts {@code score} on a thread of its own and returns once that thread is inside ONNX Runtime's session run,
     * so that close() surely finds the call in flight: the gate is what the thread is doing, not a time.
     */
    private static CompletableFuture<Prediction> callInsideTheSession(Scorer scorer) {
        CompletableFuture<Prediction> call = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                call.complete(scorer.score(Map.of("x", 1f)));
            } catch (Throwable t) {
                call.completeExceptionally(t);
            }
        }, "never-ending call");
        caller.setDaemon(true);
        caller.start();
        while (!insideSessionRun(caller)) {
            if (call.isDone()) {
                fail("the call ended before it reached the session: " + call);
            }
            Thread.onSpinWait();
        }
        return call;
    }

    private static boolean insideSessionRun(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals("ai.onnxruntime.OrtSession") && frame.getMethodName().equals("run")) {
                return true;
            }
        }
        return false;
    }

    /** The call failed with the exception of the stop path (not the "is closed" of a call that came too late). */
    private static void assertStoppedByClose(CompletableFuture<Prediction> call) {
        ExecutionException e = assertThrows(ExecutionException.class, call::get);
        IllegalStateException stopped = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(stopped.getMessage().contains("was closed while this call ran")
                && stopped.getMessage().contains("it ran past ScorerOptions.closeTimeout and was stopped"), stopped.getMessage());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void closeStopsACallThatRunsPastItsWaitAndTheCallSaysClosed() {
        Scorer scorer = Scorer.load(loop(1_000_000_000_000_000L), ScorerOptions.builder().closeTimeout(Duration.ofMillis(100)).build());
        CompletableFuture<Prediction> call = callInsideTheSession(scorer);

        List<String> log = CapturedLog.linesWhile(scorer::close);

        assertStoppedByClose(call);
        assertTrue(log.stream().anyMatch(l -> l.contains("WARN") && l.contains("1 call(s) still running after 100 ms were asked to stop")),
                log.toString());
        assertThrows(IllegalStateException.class, () -> scorer.score(Map.of("x", 1f)));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aReloadingScorersCloseStopsACallThatRunsPastItsWait(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.onnx");
        Files.write(file, loop(1_000_000_000_000_000L));
        ReloadingScorer scorer = ReloadingScorer.builder(file)
                .options(ScorerOptions.builder().closeTimeout(Duration.ofMillis(100)).build()).build();
        CompletableFuture<Prediction> call = callInsideTheSession(scorer);

        List<String> log = CapturedLog.linesWhile(scorer::close);

        assertStoppedByClose(call);
        assertTrue(log.stream().anyMatch(l -> l.contains("WARN") && l.contains("Closing reloading scorer for")
                && l.contains("1 call(s) still running after 100 ms were asked to stop")), log.toString());
    }
}
