package dev.absorb.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RunFolder#owner} on a marker caught between its creation and its pid line: the marker's
 * writer holds the lock and names itself at once, so the owner is the pid it writes, not unknown.
 */
class RunFolderOwnerTest {

    @Test
    void aHeldMarkerStillBeingWrittenIsReadOnceItNamesItsWriter(@TempDir Path dir) throws Exception {
        // given: a marker created and locked, its pid line written 100 ms later
        Path marker = dir.resolve(RunFolder.INCOMPLETE);
        try (FileChannel channel = FileChannel.open(marker, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             var lock = channel.lock()) {
            Thread writer = new Thread(() -> {
                try {
                    Thread.sleep(100);
                    channel.write(ByteBuffer.wrap("pid: 4242\nstarted: 2026-01-01T00:00:00Z\n".getBytes(StandardCharsets.UTF_8)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();

            // when
            RunFolder.Owner owner = RunFolder.owner(dir);
            writer.join();

            // then
            assertTrue(owner.live());
            assertEquals(4242L, owner.pid());
            assertTrue(lock.isValid());
        }
    }

    @Test
    void aHeldMarkerThatNeverNamesItsWriterIsLiveWithAnUnknownPid(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve(RunFolder.INCOMPLETE);
        try (FileChannel channel = FileChannel.open(marker, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             var lock = channel.lock()) {
            RunFolder.Owner owner = RunFolder.owner(dir);
            assertTrue(owner.live());
            assertNull(owner.pid());
        }
    }
}
