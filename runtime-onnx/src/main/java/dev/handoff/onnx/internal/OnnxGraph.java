package dev.handoff.onnx.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.OperatorSetIdProto;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's {@code ModelProto}, parsed once at load with the classes generated from
 * {@code src/main/proto/onnx.proto}: the header facts ONNX Runtime's Java API does not expose (IR
 * version, producer, operator sets) and the classifier's class labels, known before any row is scored.
 *
 * <pre>{@code
 * OnnxGraph graph = OnnxGraph.read(bytes);
 * List<String> classes = graph.classLabels();   // ["0", "1"] for skl2onnx int64 labels
 * }</pre>
 *
 * <p>Parsing aliases the model's bytes: big initializers are not copied.
 */
final class OnnxGraph {
    private static final String ZIPMAP = "ZipMap";

    private final ModelProto model;

    private OnnxGraph(ModelProto model) {
        this.model = model;
    }

    /** Parses the model; throws {@link IllegalArgumentException} on malformed protobuf. */
    static OnnxGraph read(byte[] modelProto) {
        // a stream over bytes protobuf may treat as immutable: only such a stream aliases bytes fields (tree node modes,
        // initializers) instead of copying each one; the model's bytes are never modified (ModelSource.bytes())
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(modelProto).newCodedInput();
        in.enableAliasing(true);
        in.setRecursionLimit(256); // subgraphs nest; protobuf's default of 100 refuses deep but legal If/Loop bodies
        in.setSizeLimit(Integer.MAX_VALUE);
        try {
            ModelProto model = ModelProto.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
            in.checkLastTagWas(0);
            return new OnnxGraph(model);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable protobuf (" + e.getMessage() + ")", e);
        }
    }

    ModelProto proto() {
        return model;
    }

    long irVersion() {
        return model.getIrVersion();
    }

    String producerName() {
        return model.getProducerName();
    }

    String producerVersion() {
        return model.getProducerVersion();
    }

    /** Operator set versions by domain ({@code ai.onnx} for the default domain), in file order. */
    Map<String, Long> opsets() {
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            opsets.put(opset.getDomain().isEmpty() ? "ai.onnx" : opset.getDomain(), opset.getVersion());
        }
        return Collections.unmodifiableMap(opsets);
    }

    /**
     * The class labels of the graph's classifier, as written (int64 labels in decimal): those of its
     * ZipMap node when it has one (they key the probability maps), else those of its classifier nodes
     * when they all agree; empty when the graph declares none or several different ones.
     */
    List<String> classLabels() {
        List<String> found = null;
        for (NodeProto node : model.getGraph().getNodeList()) {
            List<String> labels = classLabels(node);
            if (labels.isEmpty()) {
                continue;
            }
            if (node.getOpType().equals(ZIPMAP)) {
                return labels;
            }
            if (found == null) {
                found = labels;
            } else if (!found.equals(labels)) {
                return List.of();
            }
        }
        return found == null ? List.of() : found;
    }

    static boolean isZipMap(NodeProto node) {
        return node.getOpType().equals(ZIPMAP) && node.getDomain().equals("ai.onnx.ml");
    }

    /**
     * The values of the node's {@code classlabels_*} attribute (ints in decimal, strings as UTF-8),
     * empty when it has none. Only that attribute's values are turned into strings: the big
     * {@code ints} and {@code floats} attributes of tree ensembles are left as they are.
     */
    static List<String> classLabels(NodeProto node) {
        for (AttributeProto attribute : node.getAttributeList()) {
            String name = attribute.getName();
            if (!name.startsWith("classlabels_")) {
                continue;
            }
            if (name.equals("classlabels_strings")) {
                return attribute.getStringsList().stream().map(s -> s.toStringUtf8()).toList();
            }
            return attribute.getIntsList().stream().map(i -> Long.toString(i)).toList();
        }
        return List.of();
    }
}
