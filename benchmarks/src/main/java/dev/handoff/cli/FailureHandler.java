package dev.handoff.cli;

import dev.handoff.HandoffException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Turns a command's failure into a message on stderr and an exit code. A failure of the user's input
 * (a model that cannot be loaded, a file that cannot be read, a bad option value: Handoff's exceptions,
 * I/O failures, illegal arguments) prints one line and exits {@value HandoffCommand#EXIT_FAILURE}, with
 * the stack trace only under {@code --verbose}. Anything else is a bug of Handoff: it prints the stack
 * trace and exits {@value HandoffCommand#EXIT_INTERNAL_ERROR}. A model that cannot be loaded prints its
 * {@link dev.handoff.ModelLoadException} message, which names the file and the cause.
 */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (!isUsersError(failure)) {
            err.println("handoff " + command.getCommandName() + ": internal error, please report it with this stack trace: "
                    + failure);
            failure.printStackTrace(err);
            err.flush();
            return HandoffCommand.EXIT_INTERNAL_ERROR;
        }
        err.println("handoff " + command.getCommandName() + ": " + CliWording.forCli(failure.getMessage()));
        if (verbose(parsed)) {
            failure.printStackTrace(err);
        }
        err.flush();
        return HandoffCommand.EXIT_FAILURE;
    }

    private static boolean isUsersError(Exception failure) {
        boolean expected = failure instanceof HandoffException || failure instanceof IOException
                || failure instanceof UncheckedIOException || failure instanceof IllegalArgumentException;
        return expected && failure.getMessage() != null;
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
