package dev.handoff.onnx.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the few facts ONNX Runtime's Java API does not expose from the model's protobuf: the nodes
 * of the main graph with their class-label attributes, so that a classifier's classes are known at
 * load, before any row is scored. A small wire-format reader keeps protobuf off the class path.
 */
final class OnnxGraphReader {

    /** One node of the main graph: op type, domain, outputs and its class labels (empty when it has none). */
    record Node(String opType, String domain, List<String> inputs, List<String> outputs, List<String> classLabels) {
    }

    /** The model's header (IR version, producer, operator sets) and the main graph's nodes, in file order. */
    record Graph(long irVersion, String producerName, String producerVersion, Map<String, Long> opsets, List<Node> nodes) {

        /**
         * The class labels of the graph's classifier: those of its ZipMap node when it has one (they
         * key the probability maps), else those of its classifier nodes when they all agree; empty
         * when the graph declares none or several different ones.
         */
        List<String> classLabels() {
            List<String> found = null;
            for (Node node : nodes) {
                if (node.classLabels().isEmpty()) {
                    continue;
                }
                if (node.opType().equals("ZipMap")) {
                    return node.classLabels();
                }
                if (found == null) {
                    found = node.classLabels();
                } else if (!found.equals(node.classLabels())) {
                    return List.of();
                }
            }
            return found == null ? List.of() : found;
        }
    }

    private final byte[] b;

    private OnnxGraphReader(byte[] bytes) {
        this.b = bytes;
    }

    /** Reads the main graph's nodes; throws {@link IllegalArgumentException} on malformed protobuf. */
    static Graph read(byte[] modelProto) {
        OnnxGraphReader reader = new OnnxGraphReader(modelProto);
        List<Node> nodes = new ArrayList<>();
        long[] irVersion = {0};
        String[] producer = {"", ""};
        Map<String, Long> opsets = new LinkedHashMap<>();
        reader.forEachField(0, modelProto.length, (field, wire, start, end, value) -> {
            if (field == 1 && wire == 0) {
                irVersion[0] = value;
            } else if (field == 2 && wire == 2) {
                producer[0] = reader.string(start, end);
            } else if (field == 3 && wire == 2) {
                producer[1] = reader.string(start, end);
            } else if (field == 8 && wire == 2) { // ModelProto.opset_import: OperatorSetIdProto {1: domain, 2: version}
                String[] domain = {""};
                long[] version = {0};
                reader.forEachField(start, end, (oField, oWire, oStart, oEnd, oValue) -> {
                    if (oField == 1 && oWire == 2) {
                        domain[0] = reader.string(oStart, oEnd);
                    } else if (oField == 2 && oWire == 0) {
                        version[0] = oValue;
                    }
                });
                opsets.put(domain[0].isEmpty() ? "ai.onnx" : domain[0], version[0]);
            } else if (field == 7 && wire == 2) { // ModelProto.graph
                reader.forEachField(start, end, (gField, gWire, gStart, gEnd, gValue) -> {
                    if (gField == 1 && gWire == 2) { // GraphProto.node
                        nodes.add(reader.node(gStart, gEnd));
                    }
                });
            }
        });
        return new Graph(irVersion[0], producer[0], producer[1], Collections.unmodifiableMap(opsets), List.copyOf(nodes));
    }

    private Node node(int start, int end) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        String[] opType = {""};
        String[] domain = {""};
        forEachField(start, end, (field, wire, s, e, value) -> {
            switch (field) {
                case 1 -> inputs.add(string(s, e));
                case 2 -> outputs.add(string(s, e));
                case 4 -> opType[0] = string(s, e);
                case 7 -> domain[0] = string(s, e);
                case 5 -> attribute(s, e, labels);
                default -> {
                }
            }
        });
        return new Node(opType[0], domain[0], List.copyOf(inputs), List.copyOf(outputs), List.copyOf(labels));
    }

    /** Adds the values of a {@code classlabels_*} attribute (ints as decimal strings, strings as UTF-8). */
    private void attribute(int start, int end, List<String> labels) {
        String[] name = {""};
        List<String> strings = new ArrayList<>();
        List<String> ints = new ArrayList<>();
        forEachField(start, end, (field, wire, s, e, value) -> {
            if (field == 1 && wire == 2) {
                name[0] = string(s, e);
            } else if (field == 9 && wire == 2) { // AttributeProto.strings
                strings.add(string(s, e));
            } else if (field == 8 && wire == 0) { // AttributeProto.ints, unpacked
                ints.add(Long.toString(value));
            } else if (field == 8 && wire == 2) { // AttributeProto.ints, packed
                int pos = s;
                while (pos < e) {
                    long[] v = varint(pos);
                    ints.add(Long.toString(v[0]));
                    pos = (int) v[1];
                }
            }
        });
        if (name[0].startsWith("classlabels_")) {
            labels.addAll(name[0].equals("classlabels_strings") ? strings : ints);
        }
    }

    @FunctionalInterface
    private interface FieldVisitor {
        /** For length-delimited fields, [start, end) is the payload; for varints, value is the value. */
        void visit(int field, int wireType, int start, int end, long value);
    }

    private void forEachField(int start, int end, FieldVisitor visitor) {
        int pos = start;
        while (pos < end) {
            long[] key = varint(pos);
            pos = (int) key[1];
            int field = (int) (key[0] >>> 3);
            int wire = (int) (key[0] & 7);
            switch (wire) {
                case 0 -> {
                    long[] v = varint(pos);
                    pos = (int) v[1];
                    visitor.visit(field, wire, pos, pos, v[0]);
                }
                case 1 -> pos = skip(pos, 8, end);
                case 5 -> pos = skip(pos, 4, end);
                case 2 -> {
                    long[] len = varint(pos);
                    int payload = (int) len[1];
                    if (len[0] < 0 || payload + len[0] > end) {
                        throw new IllegalArgumentException("protobuf field " + field + " runs past the end of its message (truncated file?)");
                    }
                    int next = (int) (payload + len[0]);
                    visitor.visit(field, wire, payload, next, 0);
                    pos = next;
                }
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wire + " at byte " + pos);
            }
        }
    }

    private int skip(int pos, int n, int end) {
        if (pos + n > end) {
            throw new IllegalArgumentException("protobuf ends inside a fixed-size field at byte " + pos);
        }
        return pos + n;
    }

    private long[] varint(int pos) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= b.length) {
                throw new IllegalArgumentException("protobuf ends inside a varint (truncated file?)");
            }
            int x = b[pos++] & 0xFF;
            value |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return new long[] {value, pos};
            }
        }
        throw new IllegalArgumentException("malformed protobuf varint at byte " + pos);
    }

    private String string(int start, int end) {
        return new String(b, start, end - start, StandardCharsets.UTF_8);
    }
}
