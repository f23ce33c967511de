package dev.handoff.cli;

import java.io.IOException;

/** An input file that cannot be read on: bytes not valid in its encoding, broken quoting; the message names file and line. */
final class UnreadableInputException extends IOException {
    private static final long serialVersionUID = 1L;

    UnreadableInputException(String message) {
        super(message);
    }

    UnreadableInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
