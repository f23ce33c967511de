package dev.handoff.internal.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes a byte stream strictly, counting lines as it goes, so that a byte that is not valid in the
 * charset (a Latin-1 file read as UTF-8) fails with the line it is on rather than a bare
 * {@code MalformedInputException: Input length = 1}.
 *
 * <pre>{@code
 * Reader reader = new DecodingReader(in, StandardCharsets.UTF_8, "rows.csv", "give it with --encoding");
 * }</pre>
 */
public final class DecodingReader extends Reader {
    private static final int BUFFER_BYTES = 1 << 16;

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final String source;
    private final String encodingHint;
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES).flip();
    private boolean endOfInput;
    private boolean flushed;
    /** Lines started so far: 1 + the line feeds decoded. */
    private long line = 1;

    /**
     * Decodes {@code in} (closed with this reader) strictly in {@code charset}; {@code source} names it in
     * messages, and {@code encodingHint} (such as "give it with --encoding") says how to read another encoding.
     */
    public DecodingReader(InputStream in, Charset charset, String source, String encodingHint) {
        this.in = in;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.source = source;
        this.encodingHint = encodingHint;
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(target, offset, length);
        while (true) {
            if (flushed) {
                return -1;
            }
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                throw notDecodable(result, target, offset, out.position());
            }
            if (endOfInput && result.isUnderflow()) {
                result = decoder.flush(out);
                if (result.isOverflow()) {
                    return produced(target, offset, out.position()); // the rest comes with the next read
                }
                flushed = true;
            }
            if (out.position() > offset) {
                return produced(target, offset, out.position());
            }
            if (result.isUnderflow() && !endOfInput) {
                fill();
            }
        }
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    private int produced(char[] target, int from, int to) {
        line += lineFeeds(target, from, to);
        return to - from;
    }

    private static int lineFeeds(char[] chars, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (chars[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    private UnreadableTextException notDecodable(CoderResult result, char[] target, int from, int to) {
        long at = line + lineFeeds(target, from, to);
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < result.length() && bytes.remaining() > i; i++) {
            shown.append(i == 0 ? "" : " ").append(String.format("0x%02X", bytes.get(bytes.position() + i) & 0xFF));
        }
        String charset = decoder.charset().name();
        return new UnreadableTextException(source + ": line " + at + " is not valid " + charset + " (byte " + shown
                + "); the file may be in another encoding: " + encodingHint);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
