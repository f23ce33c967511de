package dev.handoff.cli;

import dev.handoff.HandoffException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Turns a command's failure into a one-line message on stderr and exit code 2; the stack trace
 * follows only under {@code --verbose}. A model that cannot be loaded prints its
 * {@link dev.handoff.ModelLoadException} message, which names the file and the cause.
 */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println("handoff " + command.getCommandName() + ": " + CliWording.forCli(message(failure)));
        if (verbose(parsed)) {
            failure.printStackTrace(err);
        }
        err.flush();
        return HandoffCommand.EXIT_FAILURE;
    }

    private static String message(Exception failure) {
        boolean expected = failure instanceof HandoffException || failure instanceof IOException
                || failure instanceof UncheckedIOException || failure instanceof IllegalArgumentException;
        if (expected && failure.getMessage() != null) {
            return failure.getMessage();
        }
        return failure.toString() + " (run with --verbose for the stack trace)";
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
