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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded ONNX model: one ONNX Runtime session (thread-safe for concurrent runs), the input
 * encoder and the output decoder planned at load, and the direct buffers the input tensors are
 * written into. It owns the session and closes it once.
 */
final class OnnxModel implements LoadedModel {
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
    public ScoredRows score(InputColumns columns) {
        int rows = columns.rowCount();
        int chunk = encoder.fixedBatch() > 0 ? encoder.fixedBatch() : rows;
        List<InvalidInputException> rejected = new ArrayList<>(0);
        OnnxOutputDecoder.Columns decoded;
        if (rows == chunk) {
            decoded = run(columns, 0, rows, chunk, rejected);
        } else {
            List<OnnxOutputDecoder.Columns> parts = new ArrayList<>();
            for (int from = 0; from < rows; from += chunk) {
                // a graph that fixes its batch size gets the last chunk padded with its last row, then cut
                int count = Math.min(chunk, rows - from);
                OnnxOutputDecoder.Columns part = run(columns, from, count, chunk, rejected);
                parts.add(count == chunk ? part : part.head(count));
            }
            decoded = OnnxOutputDecoder.Columns.concat(parts);
        }
        ScoredRows.Builder result = decoder.toScoredRows(decoded);
        for (InvalidInputException e : rejected) {
            result.reject(e);
        }
        return result.build();
    }

    /** Runs rows {@code [from, from + count)}, padded to {@code rows}, and decodes all {@code rows}. */
    private OnnxOutputDecoder.Columns run(InputColumns columns, int from, int count, int rows, List<InvalidInputException> rejected) {
        DirectBufferPool.TensorSet buffers = this.buffers.take();
        OnnxTensor[] tensors = null;
        try {
            tensors = encoder.encode(env, columns, from, count, rows, this.buffers, buffers, rejected);
            try (OrtSession.Result result = session.run(inputMap(tensors), decoder.requestedOutputs())) {
                return decoder.read(result, rows);
            }
        } catch (OrtException e) {
            throw new dev.handoff.ScoringException("ONNX Runtime failed to score " + count + " row(s) of " + info.source() + ": "
                    + e.getMessage(), e);
        } finally {
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
    public void close() {
        buffers.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new HandoffException("ONNX Runtime failed to close the session of " + info.source() + ": " + e.getMessage(), e);
        }
    }
}
