package dev.handoff.cli;

import dev.handoff.InputField;
import dev.handoff.ModelFormat;
import dev.handoff.ModelInfo;
import dev.handoff.OutputField;
import dev.handoff.Scorer;
import dev.handoff.internal.tree.TreeEngines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code handoff inspect MODEL}: prints what the model is and what it reads and gives, in a fixed
 * layout of {@code key: value} lines, then one indented line per input, output and metadata entry.
 */
@Command(name = "inspect", description = "Prints the model's format, task, producer, SHA-256, the engine that scores it (engine: compiled trees, "
        + "or runtime and why), inputs, outputs and classes.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelSelection model;

    @Override
    public Integer call() {
        try (Scorer scorer = Scorer.load(model.file(), model.options().build())) {
            print(scorer, spec.commandLine().getOut());
        }
        return 0;
    }

    static void print(Scorer scorer, PrintWriter out) {
        ModelInfo info = scorer.info();
        line(out, "model", info.source());
        line(out, "format", info.format());
        line(out, "task", info.task());
        line(out, "producer", info.producer());
        line(out, "description", info.description());
        line(out, "sha256", info.sha256());
        line(out, "engine", engine(info));
        line(out, "metadata", info.metadata().size());
        for (Map.Entry<String, String> entry : info.metadata().entrySet()) {
            out.println("  " + entry.getKey() + ": " + entry.getValue());
        }

        List<InputField> inputs = scorer.inputs();
        line(out, "inputs", inputs.size());
        int nameWidth = inputs.stream().mapToInt(f -> f.name().length()).max().orElse(0);
        for (InputField f : inputs) {
            StringBuilder line = new StringBuilder("  ").append(pad(f.name(), nameWidth)).append("  ").append(pad(f.type().name(), 7))
                    .append("  missing: ").append(switch (f.missingValues()) {
                        case MODEL_HANDLES -> "goes to the model";
                        case MODEL_REPLACES -> "replaced by the model";
                        case NOT_ACCEPTED -> "rejected";
                    });
            if (!f.isScalar()) {
                line.append("  shape ").append(f.shape());
            }
            if (!f.categories().isEmpty()) {
                line.append("  categories ").append(f.categories());
            }
            out.println(line.toString().stripTrailing());
        }

        List<OutputField> outputs = scorer.outputs();
        line(out, "outputs", outputs.size());
        int outputWidth = outputs.stream().mapToInt(f -> f.name().length()).max().orElse(0);
        for (OutputField f : outputs) {
            StringBuilder line = new StringBuilder("  ").append(pad(f.name(), outputWidth)).append("  ").append(pad(f.type().name(), 7));
            if (!f.shape().isEmpty()) {
                line.append("  shape ").append(f.shape());
            }
            out.println(line.toString().stripTrailing());
        }

        line(out, "classes", scorer.classes().isEmpty() ? "(none)" : String.join(", ", scorer.classes()));
        out.flush();
    }

    /** Which engine serves, as the runtime says in the metadata; a runtime that says nothing serves the model itself. */
    static String engine(ModelInfo info) {
        String engine = info.metadata().get(TreeEngines.METADATA_KEY);
        if (engine != null) {
            return engine;
        }
        return info.format() == ModelFormat.PMML ? "runtime (JPMML-Evaluator)" : "runtime";
    }

    private static void line(PrintWriter out, String key, Object value) {
        out.println((pad(key + ":", 13) + value).stripTrailing());
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
