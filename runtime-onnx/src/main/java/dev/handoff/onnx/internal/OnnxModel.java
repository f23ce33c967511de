package dev.handoff.onnx.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.handoff.HandoffException;
import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.ModelInfo;
import dev.handoff.OutputField;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.LoadedModel;
import dev.handoff.spi.ScoredRows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A loaded ONNX model: one ONNX Runtime session (thread-safe for concurrent runs), the input
 * encoder and the output decoder planned at load. It owns the session and closes it once.
 */
final class OnnxModel implements LoadedModel {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelInfo info;
    private final OnnxInputEncoder encoder;
    private final OnnxOutputDecoder decoder;

    OnnxModel(OrtEnvironment env, OrtSession session, ModelInfo info, OnnxInputEncoder encoder, OnnxOutputDecoder decoder) {
        this.env = env;
        this.session = session;
        this.info = info;
        this.encoder = encoder;
        this.decoder = decoder;
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
    public ScoredRows score(InputColumns columns) {
        int rows = columns.rowCount();
        int chunk = encoder.fixedBatch() > 0 ? encoder.fixedBatch() : rows;
        List<OnnxOutputDecoder.Columns> parts = new ArrayList<>();
        List<InvalidInputException> rejected = new ArrayList<>();
        for (int from = 0; from < rows; from += chunk) {
            int count = Math.min(chunk, rows - from);
            int[] chunkRows = new int[chunk];
            for (int i = 0; i < chunk; i++) {
                // a graph that fixes its batch size gets the last chunk padded with its last row, then cut
                chunkRows[i] = from + Math.min(i, count - 1);
            }
            OnnxOutputDecoder.Columns part = run(columns, chunkRows, rejected);
            parts.add(count == chunk ? part : part.head(count));
        }
        ScoredRows.Builder result = decoder.toScoredRows(OnnxOutputDecoder.Columns.concat(parts));
        for (InvalidInputException e : rejected) {
            result.reject(e);
        }
        return result.build();
    }

    private OnnxOutputDecoder.Columns run(InputColumns columns, int[] rows, List<InvalidInputException> rejected) {
        Map<String, OnnxTensor> tensors = null;
        try {
            tensors = encoder.encode(env, columns, rows, rows.length, rejected);
            try (OrtSession.Result result = session.run(tensors, decoder.requestedOutputs())) {
                return decoder.read(result, rows.length);
            }
        } catch (OrtException e) {
            throw new dev.handoff.ScoringException("ONNX Runtime failed to score " + rows.length + " row(s) of " + info.source() + ": "
                    + e.getMessage(), e);
        } finally {
            if (tensors != null) {
                tensors.values().forEach(OnnxTensor::close);
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new HandoffException("ONNX Runtime failed to close the session of " + info.source() + ": " + e.getMessage(), e);
        }
    }
}
