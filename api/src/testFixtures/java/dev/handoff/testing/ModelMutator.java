package dev.handoff.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded mutations of a model file, for fuzzing the loaders: the same seed gives the same mutant.
 *
 * <pre>{@code
 * ModelMutator.Mutant m = ModelMutator.mutate(model.modelBytes(), seed, ModelMutator.Kind.XML);
 * // m.bytes(): the mutated file; m.description(): what was done, for the failure message
 * }</pre>
 *
 * <p>Byte-level operators for every file (bit flips, interesting bytes, small increments of a byte,
 * which in protobuf often move an index or a length by one, truncation, deleted, inserted and
 * duplicated runs); for XML also textual ones on attribute values (numbers, other names of the same
 * document, empty, huge), attributes and self-closing elements removed or duplicated. One to three
 * operators are stacked.
 */
public final class ModelMutator {
    /** What the file is: XML files get textual operators as well. */
    public enum Kind { BINARY, XML }

    /** A mutated file and what was done to it. */
    public record Mutant(long seed, String description, byte[] bytes) {
    }

    private static final Pattern ATTRIBUTE = Pattern.compile("\\s([A-Za-z_:][\\w:.-]*)=\"([^\"]*)\"");
    private static final Pattern SELF_CLOSING = Pattern.compile("<[A-Za-z][\\w:.-]*(\\s[^<>]*)?/>");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final byte[] INTERESTING_BYTES = {0, (byte) 0xFF, (byte) 0x7F, (byte) 0x80, 1, '<', '>', '"', '&', ' '};
    private static final String[] XML_TOKENS = {"<", "/>", ">", "&amp;", "&#0;", "&#10;", "]]>", "<!--", "-->",
        "<!DOCTYPE x>", "xmlns=\"\"", "<Extension/>", "\"", "'"};
    private static final String[] VALUES = {"", "0", "-1", "1", "2", "1e308", "-1e308", "NaN", "Infinity", "-Infinity",
        "2147483648", "-2147483649", "9223372036854775808", "4.9e-324", "0.5", "abc", "true", "null", " ",
        "x".repeat(10_000), "\u00ff\u0000", "&#10;forged"};

    private ModelMutator() {
    }

    /** The mutant of {@code original} for {@code seed}. */
    public static Mutant mutate(byte[] original, long seed, Kind kind) {
        Random random = new Random(seed);
        byte[] bytes = original;
        StringBuilder description = new StringBuilder();
        int operators = random.nextInt(10) < 7 ? 1 : 2 + random.nextInt(2);
        for (int k = 0; k < operators && bytes.length > 0; k++) {
            int choice = random.nextInt(kind == Kind.XML ? 12 : 8);
            String[] what = new String[1];
            bytes = switch (choice) {
                case 0 -> flipBits(bytes, random, what);
                case 1 -> interestingByte(bytes, random, what);
                case 2, 3 -> nudgeByte(bytes, random, what);
                case 4 -> truncate(bytes, random, what);
                case 5 -> deleteRun(bytes, random, what);
                case 6 -> insertRun(bytes, random, what, kind);
                case 7 -> duplicateRun(bytes, random, what);
                case 8, 9 -> attributeValue(bytes, random, what);
                case 10 -> removeAttribute(bytes, random, what);
                default -> selfClosingElement(bytes, random, what);
            };
            description.append(k == 0 ? "" : "; ").append(what[0]);
        }
        return new Mutant(seed, description.toString(), bytes);
    }

    private static byte[] flipBits(byte[] b, Random r, String[] what) {
        byte[] out = b.clone();
        int flips = 1 + r.nextInt(4);
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < flips; i++) {
            int pos = r.nextInt(out.length);
            int bit = r.nextInt(8);
            out[pos] ^= (byte) (1 << bit);
            at.append(i == 0 ? "" : ",").append(pos).append('.').append(bit);
        }
        what[0] = "bit flips at " + at;
        return out;
    }

    private static byte[] interestingByte(byte[] b, Random r, String[] what) {
        byte[] out = b.clone();
        int pos = r.nextInt(out.length);
        out[pos] = INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)];
        what[0] = "byte " + pos + " = 0x" + Integer.toHexString(out[pos] & 0xFF);
        return out;
    }

    private static byte[] nudgeByte(byte[] b, Random r, String[] what) {
        byte[] out = b.clone();
        int pos = r.nextInt(out.length);
        int delta = (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(3));
        out[pos] = (byte) (out[pos] + delta);
        what[0] = "byte " + pos + (delta > 0 ? " +" : " ") + delta;
        return out;
    }

    private static byte[] truncate(byte[] b, Random r, String[] what) {
        int length = r.nextInt(b.length);
        what[0] = "truncated to " + length + " of " + b.length + " bytes";
        return Arrays.copyOf(b, length);
    }

    private static byte[] deleteRun(byte[] b, Random r, String[] what) {
        int pos = r.nextInt(b.length);
        int length = Math.min(b.length - pos, 1 + r.nextInt(r.nextBoolean() ? 8 : 256));
        what[0] = "deleted " + length + " bytes at " + pos;
        return splice(b, pos, length, new byte[0]);
    }

    private static byte[] insertRun(byte[] b, Random r, String[] what, Kind kind) {
        int pos = r.nextInt(b.length + 1);
        byte[] run;
        if (kind == Kind.XML && r.nextBoolean()) {
            run = XML_TOKENS[r.nextInt(XML_TOKENS.length)].getBytes(StandardCharsets.UTF_8);
        } else {
            run = new byte[1 + r.nextInt(32)];
            r.nextBytes(run);
        }
        what[0] = "inserted " + run.length + " bytes at " + pos;
        return splice(b, pos, 0, run);
    }

    private static byte[] duplicateRun(byte[] b, Random r, String[] what) {
        int from = r.nextInt(b.length);
        int length = Math.min(b.length - from, 1 + r.nextInt(512));
        int to = r.nextInt(b.length + 1);
        what[0] = "copied " + length + " bytes from " + from + " to " + to;
        return splice(b, to, 0, Arrays.copyOfRange(b, from, from + length));
    }

    private static byte[] attributeValue(byte[] b, Random r, String[] what) {
        String text = new String(b, StandardCharsets.UTF_8);
        List<int[]> values = matches(ATTRIBUTE, text, 2);
        if (values.isEmpty()) {
            return flipBits(b, r, what);
        }
        int[] target = values.get(r.nextInt(values.size()));
        String old = text.substring(target[0], target[1]);
        String replacement = switch (r.nextInt(4)) {
            case 0 -> { // another value of the same document: a field name where another was, a class label...
                int[] other = values.get(r.nextInt(values.size()));
                yield text.substring(other[0], other[1]);
            }
            case 1 -> numberEdit(old, r);
            default -> VALUES[r.nextInt(VALUES.length)];
        };
        what[0] = "attribute value at " + target[0] + " '" + shorten(old) + "' -> '" + shorten(replacement) + "'";
        return (text.substring(0, target[0]) + replacement + text.substring(target[1])).getBytes(StandardCharsets.UTF_8);
    }

    private static String numberEdit(String old, Random r) {
        Matcher m = NUMBER.matcher(old);
        if (!m.find()) {
            return VALUES[r.nextInt(VALUES.length)];
        }
        String n = m.group();
        String edited = switch (r.nextInt(5)) {
            case 0 -> n.startsWith("-") ? n.substring(1) : "-" + n;
            case 1 -> n + "000000";
            case 2 -> "0";
            case 3 -> Long.toString(parseOr(n, 0) + 1);
            default -> Long.toString(parseOr(n, 0) - 1);
        };
        return old.substring(0, m.start()) + edited + old.substring(m.end());
    }

    private static long parseOr(String n, long fallback) {
        try {
            return (long) Double.parseDouble(n);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static byte[] removeAttribute(byte[] b, Random r, String[] what) {
        String text = new String(b, StandardCharsets.UTF_8);
        List<int[]> attributes = matches(ATTRIBUTE, text, 0);
        if (attributes.isEmpty()) {
            return deleteRun(b, r, what);
        }
        int[] target = attributes.get(r.nextInt(attributes.size()));
        what[0] = "removed attribute '" + shorten(text.substring(target[0], target[1]).strip()) + "' at " + target[0];
        return (text.substring(0, target[0]) + text.substring(target[1])).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] selfClosingElement(byte[] b, Random r, String[] what) {
        String text = new String(b, StandardCharsets.UTF_8);
        List<int[]> elements = matches(SELF_CLOSING, text, 0);
        if (elements.isEmpty()) {
            return duplicateRun(b, r, what);
        }
        int[] target = elements.get(r.nextInt(elements.size()));
        String element = text.substring(target[0], target[1]);
        boolean remove = r.nextBoolean();
        what[0] = (remove ? "removed " : "duplicated ") + "element '" + shorten(element) + "' at " + target[0];
        String replacement = remove ? "" : element + element;
        return (text.substring(0, target[0]) + replacement + text.substring(target[1])).getBytes(StandardCharsets.UTF_8);
    }

    /** {start, end} of each match of {@code group}. */
    private static List<int[]> matches(Pattern pattern, String text, int group) {
        List<int[]> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(new int[] {m.start(group), m.end(group)});
        }
        return found;
    }

    private static byte[] splice(byte[] b, int pos, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, pos);
        System.arraycopy(insert, 0, out, pos, insert.length);
        System.arraycopy(b, pos + remove, out, pos + insert.length, b.length - pos - remove);
        return out;
    }

    private static String shorten(String s) {
        String oneLine = s.replace("\n", "\\n");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 60) + "...(" + s.length() + ")";
    }
}
