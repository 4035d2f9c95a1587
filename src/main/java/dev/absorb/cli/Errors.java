package dev.absorb.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.function.Function;

/**
 * The one place where failures become exit codes. Bad input of any kind — a picocli
 * {@link ParameterException} (unknown option, missing or malformed value) or an
 * {@link IllegalArgumentException} from the domain code (unknown format, recipe key, a value a
 * command rejects) — prints one line, {@code absorb <command>: <problem>}, on stderr and exits
 * {@value #BAD_INPUT}; no usage dump, no stack trace. An I/O error (a full disk, a read-only or
 * missing folder) prints one line naming the path and exits {@value #SOFTWARE}, as does anything
 * else, which is a bug and prints its stack trace too. Never 1: CI reads 1 as "regression".
 */
final class Errors implements IParameterExceptionHandler, IExecutionExceptionHandler {

    static final int OK = 0;
    static final int SOFTWARE = 3;
    static final int BAD_INPUT = 2;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException) {
            var suggestions = ((UnmatchedArgumentException) ex).getSuggestions();
            if (!suggestions.isEmpty()) {
                message += "; did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        return badInput(ex.getCommandLine(), message);
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        if (ex instanceof IllegalArgumentException) {
            return badInput(commandLine, ex.getMessage() != null ? ex.getMessage() : ex.toString());
        }
        Throwable io = ex instanceof java.io.UncheckedIOException ? ex.getCause() : ex;
        if (io instanceof java.io.IOException) {
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": could not finish: "
                    + ioMessage((java.io.IOException) io).replaceAll("\\R+", " "));
            commandLine.getErr().flush();
            return SOFTWARE;
        }
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": internal error: " + ex);
        ex.printStackTrace(commandLine.getErr());
        commandLine.getErr().flush();
        return SOFTWARE;
    }

    /** An I/O error as a reader wants it: the path and what went wrong, no class names where a message says it. */
    static String ioMessage(java.io.IOException e) {
        String kind = e.getClass().getSimpleName().replaceAll("(Exception)$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        if (e instanceof java.nio.file.FileSystemException) {
            java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
            String reason = f.getReason() != null ? f.getReason() : kind;
            return f.getFile() + ": " + reason;
        }
        return e.getMessage() != null ? e.getMessage() : kind;
    }

    /** Prints {@code absorb <command>: message} as one line on stderr; returns {@value #BAD_INPUT}. */
    static int badInput(CommandLine commandLine, String message) {
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + message.replaceAll("\\R+", " "));
        commandLine.getErr().flush();
        return BAD_INPUT;
    }

    /**
     * A picocli converter from a domain parser: its IllegalArgumentException (which names the
     * valid choices) becomes a TypeConversionException, so picocli reports
     * {@code Invalid value for option '--format': unknown format 'bf17'; valid: …}.
     */
    static <T> ITypeConverter<T> converter(Function<String, T> parser) {
        return text -> {
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        };
    }
}
