package dev.handoff;

import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.OutputColumns;
import dev.handoff.spi.ScorerProvider;
import dev.handoff.spi.ScorerProvider.ModelSource;
import dev.handoff.spi.ScoringEngine;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test runtime for the PMML format whose models are {@link LineModel}s (y = intercept + 2x) that a test can
 * hold: a file {@code <PMML intercept="1" gated/>} scores only once {@link #release} opens, {@code slow}
 * takes longer than {@link #slowNanos}, {@code error} throws an {@link OutOfMemoryError}. It counts loads and
 * closes, so a test can prove that no model was left open. Registered for one test thread by
 * {@link #install(Path)}, through the context class loader, which the loader also searches; the api's other
 * tests go on seeing no runtime.
 */
public final class GatedRuntime implements ScorerProvider {
    static final AtomicInteger LOADED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();
    static volatile CountDownLatch entered = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);
    static volatile long slowNanos;
    private static final Pattern INTERCEPT = Pattern.compile("intercept=\"(-?\\d+)\"");

    /** Makes this runtime visible to the current thread (and the threads it starts); returns the loader to restore. */
    static ClassLoader install(Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(ScorerProvider.class.getName()), GatedRuntime.class.getName());
        LOADED.set(0);
        CLOSED.set(0);
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(new URLClassLoader(new URL[] {dir.toUri().toURL()}, GatedRuntime.class.getClassLoader()));
        return saved;
    }

    static String model(int intercept, String flags) {
        return "<PMML intercept=\"" + intercept + "\" " + flags + "/>";
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.PMML;
    }

    @Override
    public ScoringEngine load(ModelSource source, ScorerOptions options) {
        String text = new String(source.bytes(), StandardCharsets.UTF_8);
        Matcher m = INTERCEPT.matcher(text);
        if (!m.find()) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "no intercept");
        }
        LOADED.incrementAndGet();
        return new Model(source, text, Integer.parseInt(m.group(1)));
    }

    private static final class Model implements ScoringEngine {
        private final ModelInfo info;
        private final LineModel line;
        private final String text;

        Model(ModelSource source, String text, int intercept) {
            this.info = new ModelInfo(source.name(), ModelFormat.PMML, ModelTask.REGRESSION, "gated", text, source.sha256(), Map.of());
            this.line = new LineModel(intercept);
            this.text = text;
        }

        @Override
        public ModelInfo info() {
            return info;
        }

        @Override
        public List<InputField> inputs() {
            return line.inputs();
        }

        @Override
        public List<OutputField> outputs() {
            return line.outputs();
        }

        @Override
        public List<String> classes() {
            return List.of();
        }

        @Override
        public void score(InputColumns columns, OutputColumns rows) {
            if (text.contains("gated")) {
                entered.countDown();
                try {
                    if (!release.await(1, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("the test never released the gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (text.contains("slow")) { // longer than the call timeout, whatever the machine's speed
                long until = System.nanoTime() + slowNanos;
                while (System.nanoTime() < until) {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
            }
            if (text.contains("error")) {
                throw new OutOfMemoryError("simulated by the test runtime");
            }
            line.score(columns, rows);
        }

        @Override
        public void close() {
            CLOSED.incrementAndGet();
        }
    }
}
