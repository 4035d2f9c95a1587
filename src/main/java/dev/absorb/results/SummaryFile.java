package dev.absorb.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes gate's markdown summary to {@code --summary FILE}. A CI step summary
 * ({@code $GITHUB_STEP_SUMMARY}) is a file that several commands of a step append to, so the
 * summary is appended to whatever the file holds; to never leave it half-written, the old
 * content and the summary go to a temporary file in the same folder, which then replaces the
 * file in one rename.
 */
public final class SummaryFile {

    private SummaryFile() {
    }

    /**
     * Checks, before any work, that {@code file} can be written: its folder exists and it is not
     * a folder itself. A path that names no file is unusable input (IllegalArgumentException); a
     * missing or read-only folder is an environment failure (UncheckedIOException naming it).
     */
    public static void checkWritable(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        if (file.toString().isEmpty()) {
            throw new IllegalArgumentException("--summary: the path is empty; name a file");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--summary " + file + " is a folder; name a file");
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UncheckedIOException(new IOException("--summary " + file + ": no folder " + folder));
        }
        if (!Files.isWritable(folder) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new UncheckedIOException(new IOException("--summary " + file + " is not writable"));
        }
    }

    public static void append(Path file, String markdown) throws IOException {
        Path target = file.toAbsolutePath();
        String before = Files.exists(target) ? Files.readString(target) : "";
        String separator = before.isEmpty() || before.endsWith("\n") ? "" : "\n";
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, before + separator + markdown);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
