package dev.handoff.internal.shape;

import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.OutputField;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every call of one model shares when its output is shaped and read: task, classes, outputs. */
public final class OutputSchema {
    private final ModelTask task;
    private final List<String> classes;
    private final Map<String, Integer> classIndex;
    private final Map<String, OutputField> outputs;
    private final Map<String, Integer> outputIndex;
    final OutputField[] outputArray;

    public OutputSchema(ModelTask task, List<String> classes, List<OutputField> outputs) {
        this.task = task;
        this.classes = List.copyOf(classes);
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < this.classes.size(); k++) {
            index.put(this.classes.get(k), k);
        }
        this.classIndex = Map.copyOf(index);
        Map<String, OutputField> byName = new LinkedHashMap<>();
        for (OutputField o : outputs) {
            byName.put(o.name(), o);
        }
        this.outputs = Collections.unmodifiableMap(byName);
        this.outputArray = byName.values().toArray(new OutputField[0]);
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < outputArray.length; i++) {
            positions.put(outputArray[i].name(), i);
        }
        this.outputIndex = Map.copyOf(positions);
    }

    public ModelTask task() {
        return task;
    }

    public List<String> classes() {
        return classes;
    }

    /** The index of class {@code label} in {@link #classes()}, or {@code null}. */
    public Integer classIndex(String label) {
        return classIndex.get(label);
    }

    /** The model's outputs by name, in model order. */
    public Map<String, OutputField> outputs() {
        return outputs;
    }

    /** The position of output {@code name} in {@link #outputs()}, or {@code null}. */
    public Integer outputIndex(String name) {
        return outputIndex.get(name);
    }
}
