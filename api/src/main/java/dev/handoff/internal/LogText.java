package dev.handoff.internal;

/**
 * Makes a string that came from a model file (producer name, description, element names, a runtime's
 * message about it) safe to put into a log line or an exception message: one line, of bounded length.
 *
 * <pre>{@code
 * LOG.info("Loaded model (producer '{}')", LogText.safe(info.producer()));
 * LogText.safe("evil\n[main] INFO forged")   // "evil\n[main] INFO forged" with a literal backslash-n
 * }</pre>
 *
 * <p>Control characters (C0, DEL, C1), line and paragraph separators, invisible format characters
 * (bidirectional overrides, zero-width characters) and unpaired surrogates are written as
 * {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}, so that a newline in a model cannot
 * forge a log line and right-to-left overrides cannot disguise one. Text beyond the bound is cut and
 * its length given, so that a 20 MB producer name makes a short line.
 */
public final class LogText {
    /** The default bound, in chars of output, for names and descriptions. */
    public static final int DEFAULT_MAX_CHARS = 200;

    private LogText() {
    }

    /** {@link #safe(String, int)} with {@link #DEFAULT_MAX_CHARS}. */
    public static String safe(String text) {
        return safe(text, DEFAULT_MAX_CHARS);
    }

    /**
     * The text on one line, escaped, cut to about {@code maxChars} chars with a note of the full length.
     *
     * @param text any string; {@code null} gives {@code "null"}
     * @param maxChars at least 1
     */
    public static String safe(String text, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be at least 1, got " + maxChars);
        }
        if (text == null) {
            return "null";
        }
        if (text.length() <= maxChars && isPlain(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 32);
        int i = 0;
        while (i < text.length() && out.length() < maxChars) {
            int cp = text.codePointAt(i);
            if (needsEscape(cp)) {
                escape(out, cp);
            } else {
                out.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        if (i < text.length()) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (needsEscape(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    private static boolean needsEscape(int cp) {
        if (cp >= 0x20 && cp < 0x7F) {
            return false;
        }
        if (Character.isISOControl(cp)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE,
                 Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }

    private static void escape(StringBuilder out, int cp) {
        switch (cp) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                for (char c : Character.toChars(cp)) {
                    out.append(String.format("\\u%04X", (int) c));
                }
            }
        }
    }
}
