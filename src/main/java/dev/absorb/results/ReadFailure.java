package dev.absorb.results;

import com.fasterxml.jackson.core.JacksonException;
import org.apache.commons.csv.CSVException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An input file that could not be read, as the CLI's exit codes see it: a path that is no file
 * (a folder, a dangling link) or malformed content is unusable input; a file that is there and
 * still cannot be read (permission denied, an I/O error) is the environment failing.
 */
public final class ReadFailure {

    private ReadFailure() {
    }

    /**
     * @return an {@link UncheckedIOException} naming {@code file} where it is a regular file, else
     *     an {@link IllegalArgumentException} saying it cannot be read
     */
    public static RuntimeException of(Path file, IOException e) {
        // commons-csv and Jackson report malformed content as IOExceptions too
        boolean malformed = e instanceof CSVException || e instanceof JacksonException;
        if (!malformed && Files.isRegularFile(file)) {
            FileSystemException named = e instanceof FileSystemException && ((FileSystemException) e).getFile() != null
                    ? (FileSystemException) e : new FileSystemException(file.toString(), null, e.getMessage());
            if (named != e) {
                named.initCause(e);
            }
            return new UncheckedIOException(named);
        }
        return new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
    }
}
