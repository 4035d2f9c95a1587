package dev.absorb.results;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one writer of run-folder files: whole or nothing, and never over an existing file. */
class AtomicFileTest {

    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheWholeFileAndNoTemporary() throws IOException {
        AtomicFile.write(dir.resolve("a.txt"), "hello\n");
        assertEquals("hello\n", Files.readString(dir.resolve("a.txt")));
        assertEquals(List.of("a.txt"), listing());
    }

    @Test
    void neverReplacesAFile() throws IOException {
        // given
        Files.writeString(dir.resolve("a.txt"), "earlier\n");

        // when
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFile.write(dir.resolve("a.txt"), "later\n"));

        // then
        assertEquals("earlier\n", Files.readString(dir.resolve("a.txt")));
        assertEquals(List.of("a.txt"), listing());
    }

    @Test
    void aFileThatAppearsWhileWritingWinsAndTheTemporaryStays() throws IOException {
        // given: a temporary finished, then another writer's file appears under the name
        Path temporary = AtomicFile.temporary(dir.resolve("a.txt"));
        Files.writeString(temporary, "mine\n");
        Files.writeString(dir.resolve("a.txt"), "theirs\n");

        // when
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFile.place(temporary, dir.resolve("a.txt")));

        // then
        assertEquals("theirs\n", Files.readString(dir.resolve("a.txt")));
        assertEquals("mine\n", Files.readString(temporary));
    }

    @Test
    void aFailedWriteLeavesNothing() {
        IOException failure = assertThrows(IOException.class, () -> AtomicFile.write(dir.resolve("a.txt"), out -> {
            out.write(new byte[10_000]);
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", failure.getMessage());
        assertTrue(dir.toFile().list().length == 0, "no file, no temporary");
    }

    /** Writers of one name at once: exactly one wins, whole, and the rest fail without a trace. */
    @RepeatedTest(5)
    void ofConcurrentWritersExactlyOneWins() throws Exception {
        int writers = 6;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String text = ("writer " + i + "\n").repeat(1000);
                // a temporary of its own per writer: the threads stand for processes
                Path temporary = dir.resolve("a.txt." + i + ".tmp");
                outcomes.add(pool.submit(() -> {
                    Files.writeString(temporary, text);
                    start.await();
                    try {
                        AtomicFile.place(temporary, dir.resolve("a.txt"));
                        return true;
                    } catch (FileAlreadyExistsException lost) {
                        Files.delete(temporary);
                        return false;
                    }
                }));
            }
            int winners = 0;
            for (Future<Boolean> outcome : outcomes) {
                winners += outcome.get() ? 1 : 0;
            }
            assertEquals(1, winners);
            String text = Files.readString(dir.resolve("a.txt"));
            assertEquals(text.substring(0, text.indexOf('\n') + 1).repeat(1000), text, "one writer's whole text");
            assertEquals(List.of("a.txt"), listing());
        } finally {
            pool.shutdownNow();
        }
    }
}
