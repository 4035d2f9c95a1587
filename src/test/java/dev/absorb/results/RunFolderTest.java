package dev.absorb.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run folders (DESIGN.md §7, docs/decisions.md "Run folders"): {@code <UTC yyyyMMddTHHmmssZ>_jdk<feature>_<cpu
 * slug>}, a {@code -1}, {@code -2} … suffix for runs in the same second, an INCOMPLETE marker
 * until the run completes, and never a folder that already holds results.
 */
class RunFolderTest {

    private static final RunEnvironment ENV = MachineProbe.current(null, null, Instant.now());

    private static final Pattern NAME = Pattern.compile("(\\d{8}T\\d{6}Z)_jdk(\\d+)_([a-z0-9]+(?:-[a-z0-9]+)*)(-\\d+)?");

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void newFolderIsNamedAfterUtcTimeJdkAndCpu(@TempDir Path dir) throws IOException {
        // given
        Path results = dir.resolve("results");
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        // when
        RunFolder run = RunFolder.createUnder(results, ENV);

        // then
        Instant after = Instant.now();
        assertEquals(results, run.path().getParent(), "created under the parent, which is created too");
        Matcher m = NAME.matcher(run.path().getFileName().toString());
        assertTrue(m.matches(), run.path().getFileName() + " matches " + NAME);
        Instant time = LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")).toInstant(ZoneOffset.UTC);
        assertFalse(time.isBefore(before) || time.isAfter(after), time + " is the UTC time of creation, between " + before + " and " + after);
        assertEquals(Integer.toString(Runtime.version().feature()), m.group(2));
        assertEquals(ENV.folderTag(), m.group(3));
        
    }

    @Test
    void incompleteMarkerUntilComplete(@TempDir Path dir) throws IOException {
        // when
        RunFolder run = RunFolder.createUnder(dir, ENV);

        // then
        assertEquals(List.of(RunFolder.INCOMPLETE, RunFolder.ENV_JSON), listing(run.path()), "a new run holds only the marker");
        assertFalse(Files.readString(run.path().resolve(RunFolder.INCOMPLETE)).isBlank(), "the marker says what it means");

        // when: files arrive, the marker stays
        Files.writeString(run.path().resolve("thresholds.csv"), "recipe\n");
        assertTrue(Files.exists(run.path().resolve(RunFolder.INCOMPLETE)));
        run.complete();

        // then
        assertEquals(List.of("env.json", "thresholds.csv"), listing(run.path()));
        run.complete();
        assertEquals(List.of("env.json", "thresholds.csv"), listing(run.path()), "completing twice is harmless");
    }

    @Test
    void runsInTheSameSecondGetSuffixes(@TempDir Path dir) throws IOException {
        // when: several runs in a row, most of them within one second
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            paths.add(RunFolder.createUnder(dir, ENV).path());
        }

        // then: distinct, each with its own marker; in one second: name, name-1, name-2, …
        assertEquals(paths.size(), new HashSet<>(paths).size(), "distinct folders: " + paths);
        for (Path p : paths) {
            assertEquals(List.of(RunFolder.INCOMPLETE, RunFolder.ENV_JSON), listing(p));
        }
        for (int i = 1; i < paths.size(); i++) {
            String base = paths.get(i - 1).getFileName().toString().replaceFirst("-\\d+$", "");
            String name = paths.get(i).getFileName().toString();
            if (name.startsWith(base)) {
                String previous = paths.get(i - 1).getFileName().toString();
                int previousSuffix = previous.equals(base) ? 0 : Integer.parseInt(previous.substring(base.length() + 1));
                assertEquals(base + "-" + (previousSuffix + 1), name, "the next suffix in the same second");
            }
        }
    }

    @Test
    void concurrentRunsNeverShareAFolder(@TempDir Path dir) throws Exception {
        // given
        int runs = 8;
        CyclicBarrier start = new CyclicBarrier(runs);
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            List<Future<Path>> futures = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                Callable<Path> create = () -> {
                    start.await();
                    return RunFolder.createUnder(dir, ENV).path();
                };
                futures.add(pool.submit(create));
            }

            // when
            Set<Path> paths = new HashSet<>();
            for (Future<Path> f : futures) {
                paths.add(f.get());
            }

            // then
            assertEquals(runs, paths.size(), "one folder per run: " + paths);
            assertEquals(runs, listing(dir).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void takenNamesAreSkippedEvenWhenAFileHoldsThem(@TempDir Path dir) throws IOException {
        // given: the first folder of this second exists, and a regular file holds the "-1" name
        Path first = RunFolder.createUnder(dir, ENV).path();
        String base = first.getFileName().toString();
        Files.writeString(dir.resolve(base + "-1"), "not a folder");
        Files.createDirectory(dir.resolve(base + "-2"));

        // when
        Path next = RunFolder.createUnder(dir, ENV).path();

        // then: a new folder, whichever second it is; never an existing one
        assertTrue(Files.isDirectory(next));
        assertFalse(List.of(first, dir.resolve(base + "-1"), dir.resolve(base + "-2")).contains(next), next.toString());
        assertEquals(List.of(RunFolder.INCOMPLETE, RunFolder.ENV_JSON), listing(next));
        assertEquals("not a folder", Files.readString(dir.resolve(base + "-1")));
    }

    // ---- --out DIR ----------------------------------------------------------------------------

    @Test
    void adoptCreatesTheFolderWithTheMarkerAndEnvJson(@TempDir Path dir) throws IOException {
        try (RunFolder run = RunFolder.adopt(dir.resolve("a/b/run"), ENV)) {
            assertEquals(dir.resolve("a/b/run"), run.path());
            assertEquals(List.of(RunFolder.INCOMPLETE, RunFolder.ENV_JSON), listing(run.path()));
            assertEquals(ENV, RunEnvironment.read(run.path().resolve(RunFolder.ENV_JSON)));
        }
    }

    @Test
    void theMarkerNamesItsOwner(@TempDir Path dir) throws IOException {
        try (RunFolder run = RunFolder.adopt(dir, ENV)) {
            RunFolder.Owner owner = RunFolder.parse(Files.readAllLines(run.path().resolve(RunFolder.INCOMPLETE)));
            assertEquals(ProcessHandle.current().pid(), owner.pid());
            assertTrue(Duration.between(owner.started(), Instant.now()).abs().getSeconds() < 60, owner.toString());
        }
    }

    @Test
    void aFolderInUseIsRefusedNamingItsOwner(@TempDir Path dir) throws IOException {
        try (RunFolder first = RunFolder.adopt(dir, ENV)) {
            // when
            String message = assertThrows(IllegalArgumentException.class, () -> RunFolder.adopt(dir, ENV)).getMessage();
            // then
            assertTrue(message.startsWith(dir + " is in use by pid " + ProcessHandle.current().pid() + " since "), message);
            assertTrue(RunFolder.owner(dir).live());
            assertEquals(List.of(RunFolder.INCOMPLETE, RunFolder.ENV_JSON), listing(dir), "the first run's files alone");
        }
    }

    @Test
    void aRunThatEndsUnfinishedLeavesAStaleMarkerThatIsReportedNotAdopted(@TempDir Path dir) throws IOException {
        // given: a run that gave its folder up without completing (its process ended, or failed)
        RunFolder.adopt(dir, ENV).close();
        List<String> before = listing(dir);

        // when
        String message = assertThrows(IllegalArgumentException.class, () -> RunFolder.adopt(dir, ENV)).getMessage();

        // then
        assertFalse(RunFolder.owner(dir).live());
        assertTrue(message.startsWith(dir + " holds a stale INCOMPLETE marker: the run of pid " + ProcessHandle.current().pid()
                + " since "), message);
        assertTrue(message.contains("ended unfinished") && message.contains("give another folder"), message);
        assertEquals(before, listing(dir));
    }

    @Test
    void aMarkerWithoutOwnerIsStaleToo(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(RunFolder.INCOMPLETE), "this run has not finished (or was interrupted)\n");
        String message = assertThrows(IllegalArgumentException.class, () -> RunFolder.adopt(dir, ENV)).getMessage();
        assertTrue(message.contains("stale INCOMPLETE marker: the run of pid unknown since an unknown time"), message);
    }

    @Test
    void aCompletedRunsFolderIsNotTakenAgain(@TempDir Path dir) throws IOException {
        RunFolder run = RunFolder.adopt(dir, ENV);
        run.complete();
        assertNull(RunFolder.owner(dir));
        String message = assertThrows(IllegalArgumentException.class, () -> RunFolder.adopt(dir, ENV)).getMessage();
        assertTrue(message.startsWith(dir + " already holds env.json; absorb never replaces a file"), message);
    }

    @Test
    void adoptRefusesAFolderHoldingAnyFileAndLeavesItAlone(@TempDir Path dir) throws IOException {
        // given: an earlier run's curves.csv (its thresholds.csv never came)
        Files.writeString(dir.resolve("curves.csv"), "earlier curves\n");
        Files.writeString(dir.resolve("notes.txt"), "mine\n");

        // when
        String message = assertThrows(IllegalArgumentException.class, () -> RunFolder.adopt(dir, ENV)).getMessage();

        // then
        assertEquals(dir + " already holds curves.csv and 1 more; absorb never replaces a file: give a new or empty folder", message);
        assertEquals(List.of("curves.csv", "notes.txt"), listing(dir), "no marker added");
        assertEquals("earlier curves\n", Files.readString(dir.resolve("curves.csv")));
    }

    @Test
    void adoptRefusesARegularFile(@TempDir Path dir) throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine\n");

        // when
        IOException e = assertThrows(IOException.class, () -> RunFolder.adopt(file, ENV));

        // then
        assertTrue(e.getMessage().contains("not a folder"), "says what is wrong: " + e.getMessage());
        assertEquals("mine\n", Files.readString(file));
        assertEquals(List.of("notes.txt"), listing(dir));
    }

    // ---- the CPU slug -------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "AMD EPYC 7763 64-Core Processor | amd-epyc-7763",
        "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz | intel-xeon-cpu-e5-2680-v4-2-40ghz",
        "Intel(R) Core(TM) i7-10700K CPU @ 3.80GHz | intel-core-i7-10700k-cpu-3-80ghz",
        "Apple M2 Pro | apple-m2-pro",
        "aarch64 | aarch64",
        "  --weird__NAME--  | weird-name",
        "AMD Ryzen Threadripper PRO 5995WX 64-Cores with a very long marketing name | amd-ryzen-threadripper-pro-5995wx-64-cor"})
    void cpuSlug(String model, String slug) {
        assertEquals(slug, RunEnvironment.slug(model));
        assertTrue(slug.length() <= 40);
    }
}
