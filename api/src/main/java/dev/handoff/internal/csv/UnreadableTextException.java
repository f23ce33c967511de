package dev.handoff.internal.csv;

import java.io.IOException;

/**
 * A text file that cannot be read on: a byte that is not valid in its encoding, broken quoting, a line
 * longer than the reader's bound. The message names the file and the line.
 */
public final class UnreadableTextException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnreadableTextException(String message) {
        super(message);
    }
}
