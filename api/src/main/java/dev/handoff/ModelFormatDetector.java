package dev.handoff;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Tells ONNX from PMML by the content, never by the file name. */
final class ModelFormatDetector {
    /** How far into an XML document the {@code <PMML} root element is looked for (declaration, comments). */
    private static final int XML_PROLOG_LIMIT = 64 * 1024;

    /** Field numbers of onnx.ModelProto and the wire type each must have (0 varint, 2 length-delimited). */
    private static final Set<Integer> VARINT_FIELDS = Set.of(1, 5);
    private static final Set<Integer> LENGTH_FIELDS = Set.of(2, 3, 4, 6, 7, 8, 14, 20, 25);

    private ModelFormatDetector() {
    }

    static ModelFormat detect(String name, byte[] bytes) {
        if (bytes.length == 0) {
            throw new ModelLoadException(name, null, "the model is empty (0 bytes)");
        }
        int start = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            start = 3; // UTF-8 byte order mark
        }
        while (start < bytes.length && Character.isWhitespace(bytes[start])) {
            start++;
        }
        if (start < bytes.length && bytes[start] == '<') {
            String prolog = new String(bytes, start, Math.min(bytes.length - start, XML_PROLOG_LIMIT), StandardCharsets.UTF_8);
            if (prolog.contains("<PMML") || prolog.contains(":PMML")) {
                return ModelFormat.PMML;
            }
            throw new ModelLoadException(name, null, "the content is XML but has no <PMML> root element, so it is not a PMML model");
        }
        if (looksLikeOnnx(bytes)) {
            return ModelFormat.ONNX;
        }
        throw new ModelLoadException(name, null, "the content is neither an ONNX model (protobuf ModelProto) nor a PMML "
                + "document (XML); it starts with " + hexPrefix(bytes));
    }

    /** Reads up to four top-level protobuf fields; each must be a known ModelProto field of the right wire type. */
    private static boolean looksLikeOnnx(byte[] b) {
        int pos = 0;
        int fields = 0;
        boolean sawIrVersion = false;
        boolean sawGraph = false;
        while (pos < b.length && fields < 4) {
            long[] key = readVarint(b, pos);
            if (key == null) {
                return false;
            }
            pos = (int) key[1];
            int fieldNumber = (int) (key[0] >>> 3);
            int wireType = (int) (key[0] & 7);
            if (wireType == 0 && VARINT_FIELDS.contains(fieldNumber)) {
                long[] value = readVarint(b, pos);
                if (value == null) {
                    return false;
                }
                pos = (int) value[1];
                sawIrVersion |= fieldNumber == 1;
            } else if (wireType == 2 && LENGTH_FIELDS.contains(fieldNumber)) {
                long[] length = readVarint(b, pos);
                if (length == null || length[0] < 0) {
                    return false;
                }
                sawGraph |= fieldNumber == 7;
                long next = length[1] + length[0];
                if (next > b.length) {
                    // a truncated file: the start is still ONNX, and the runtime reports the truncation
                    return sawIrVersion || fieldNumber == 7;
                }
                pos = (int) next;
            } else {
                return false;
            }
            fields++;
        }
        return sawIrVersion || sawGraph;
    }

    /** Returns {value, next position}, or null when the bytes end inside the varint or it is too long. */
    private static long[] readVarint(byte[] b, int pos) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= b.length) {
                return null;
            }
            int x = b[pos++] & 0xFF;
            value |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return new long[] {value, pos};
            }
        }
        return null;
    }

    private static String hexPrefix(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            sb.append(String.format("%02x ", bytes[i] & 0xFF));
        }
        return "bytes " + sb.toString().trim() + (bytes.length > 8 ? " ..." : "");
    }
}
