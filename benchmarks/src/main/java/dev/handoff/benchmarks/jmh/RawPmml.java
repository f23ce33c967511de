package dev.handoff.benchmarks.jmh;

import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hand-written baseline: JPMML-Evaluator called directly, as its README shows: {@code prepare}
 * each input field, {@code evaluate}, {@code EvaluatorUtil.decodeAll} the results to Java values.
 */
final class RawPmml {
    private final Evaluator evaluator;
    private final List<InputField> fields;
    /** Per input field, its CSV column. */
    private final int[] columnOf;

    RawPmml(CorpusFile file) throws Exception {
        evaluator = new LoadingModelEvaluatorBuilder().load(new ByteArrayInputStream(file.modelBytes())).build();
        evaluator.verify();
        fields = evaluator.getInputFields();
        columnOf = new int[fields.size()];
        for (int f = 0; f < columnOf.length; f++) {
            columnOf[f] = file.header().indexOf(fields.get(f).getName());
        }
    }

    /** Scores one record. */
    Map<String, ?> row(Map<String, Object> record) {
        Map<String, FieldValue> arguments = new LinkedHashMap<>();
        for (InputField field : fields) {
            arguments.put(field.getName(), field.prepare(record.get(field.getName())));
        }
        return EvaluatorUtil.decodeAll(evaluator.evaluate(arguments));
    }

    /** Scores row {@code r} of CSV columns ({@code double[]} NaN = missing, {@code String[]}). */
    Map<String, ?> row(Object[] csvColumns, int r) {
        Map<String, FieldValue> arguments = new LinkedHashMap<>();
        for (int f = 0; f < columnOf.length; f++) {
            Object column = csvColumns[columnOf[f]];
            Object raw;
            if (column instanceof double[] d) {
                raw = Double.isNaN(d[r]) ? null : (Object) d[r];
            } else {
                raw = ((String[]) column)[r];
            }
            arguments.put(fields.get(f).getName(), fields.get(f).prepare(raw));
        }
        return EvaluatorUtil.decodeAll(evaluator.evaluate(arguments));
    }
}
