package dev.absorb.cli;

import com.fasterxml.jackson.core.JacksonException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.function.Function;

/**
 * The one place where failures become exit codes (docs/faults.md).
 * <ul>
 * <li>Bad input — a picocli {@link ParameterException} (unknown option, missing or malformed
 * value) or an {@link IllegalArgumentException} from the domain code — prints one line,
 * {@code absorb <command>: <problem>}, and exits {@value #BAD_INPUT}.</li>
 * <li>The environment failing — an {@link IOException} anywhere in the cause chain (no space,
 * read-only, permission denied, any other I/O error), an {@link OutOfMemoryError}, or
 * {@link NotEnoughMemory} — prints one line naming the path or the memory and exits
 * {@value #COULD_NOT_FINISH}.</li>
 * <li>Anything else is a bug: exit {@value #COULD_NOT_FINISH} with its stack trace.</li>
 * </ul>
 * Never 1: gate's verdict is the only 1, and CI reads 1 as "regression".
 */
final class Errors implements IParameterExceptionHandler, IExecutionExceptionHandler, IExecutionStrategy {

    static final int OK = 0;
    static final int BAD_INPUT = 2;
    static final int COULD_NOT_FINISH = 3;

    /** The memory a command needs beyond what the JVM may use, found before the work starts. */
    static final class NotEnoughMemory extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long bytes;

        /** @param what what needs the memory, e.g. "16777216 classes" */
        NotEnoughMemory(String what, long bytes) {
            super(what + " need at least " + megabytes(bytes));
            this.bytes = bytes;
        }

        long bytes() {
            return bytes;
        }
    }

    /** Refuses, before any work, a need that cannot fit under the JVM's heap limit. */
    static void requireMemory(String what, long bytes) {
        if (bytes > Runtime.getRuntime().maxMemory()) {
            throw new NotEnoughMemory(what, bytes);
        }
    }

    @Override
    public int execute(ParseResult parseResult) {
        try {
            return new CommandLine.RunLast().execute(parseResult);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler: an Error thrown by a command ends here.
            List<CommandLine> parsed = parseResult.asCommandLineList();
            return outOfMemory(parsed.get(parsed.size() - 1), e.getMessage(), 0);
        }
    }

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
        // Worker threads and lambdas wrap what went wrong: the cause decides.
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return outOfMemory(commandLine, t.getMessage(), 0);
            }
            if (t instanceof NotEnoughMemory) {
                return outOfMemory(commandLine, t.getMessage(), ((NotEnoughMemory) t).bytes());
            }
            // Jackson's exceptions are IOExceptions too, but a JSON text absorb writes badly is a bug.
            if (t instanceof IOException && !(t instanceof JacksonException)) {
                return couldNotFinish(commandLine, ioMessage((IOException) t));
            }
        }
        commandLine.getErr().println(prefix(commandLine) + "internal error: " + ex);
        ex.printStackTrace(commandLine.getErr());
        commandLine.getErr().flush();
        return COULD_NOT_FINISH;
    }

    /**
     * An I/O error as a reader wants it: the path and what went wrong, in the operating system's
     * words where there are some ("No space left on device", "Read-only file system").
     */
    static String ioMessage(IOException e) {
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            String reason = f.getReason() != null ? f.getReason()
                    : e instanceof AccessDeniedException ? "Permission denied"
                    : e instanceof NoSuchFileException ? "No such file or directory"
                    : words(e);
            String where = f.getFile() == null ? "" : f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": ";
            return where + reason;
        }
        return e.getMessage() != null ? e.getMessage() : words(e);
    }

    /** "FileSystemLoopException" as "file system loop". */
    private static String words(Exception e) {
        return e.getClass().getSimpleName().replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT);
    }

    /** Prints {@code absorb <command>: could not finish: message} as one line; returns {@value #COULD_NOT_FINISH}. */
    static int couldNotFinish(CommandLine commandLine, String message) {
        commandLine.getErr().println(prefix(commandLine) + "could not finish: " + message.replaceAll("\\R+", " "));
        commandLine.getErr().flush();
        return COULD_NOT_FINISH;
    }

    private static int outOfMemory(CommandLine commandLine, String detail, long needed) {
        long max = Runtime.getRuntime().maxMemory();
        String asked = needed > 0 ? detail : "out of memory" + (detail == null ? "" : " (" + detail + ")");
        // A known need is a lower bound (working arrays and the JVM's own come on top): ask for more.
        String more = suggestedHeap(Math.max(2 * max, 4 * needed));
        return couldNotFinish(commandLine, asked + "; the JVM may use at most " + megabytes(max)
                + "; give it more with -Xmx, e.g. java -Xmx" + more + " -jar absorb.jar, or JAVA_OPTS=-Xmx" + more
                + " ./run-benchmarks.sh");
    }

    /** A heap size for -Xmx of at least {@code bytes}: a power of two in MB, written 512m or 4g. */
    static String suggestedHeap(long bytes) {
        long mb = 64;
        while (mb * (1L << 20) < bytes) {
            mb *= 2;
        }
        return mb >= 1024 ? mb / 1024 + "g" : mb + "m";
    }

    static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%,d MB", (bytes + (1L << 20) - 1) >> 20);
    }

    /** Prints {@code absorb <command>: message} as one line on stderr; returns {@value #BAD_INPUT}. */
    static int badInput(CommandLine commandLine, String message) {
        commandLine.getErr().println(prefix(commandLine) + message.replaceAll("\\R+", " "));
        commandLine.getErr().flush();
        return BAD_INPUT;
    }

    private static String prefix(CommandLine commandLine) {
        return commandLine.getCommandSpec().qualifiedName() + ": ";
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
