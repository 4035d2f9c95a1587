package dev.absorb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code absorb ab}'s input checks: every bad option or side exits 2 with one line before anything
 * runs or any folder exists. (The interleaving itself: AbRunTest; a real run: .ci/run.)
 */
class AbCommandTest {

    @TempDir
    Path dir;

    private static String thisJdk() {
        return System.getProperty("java.home");
    }

    private CliRunner ab(String... args) {
        List<String> all = new ArrayList<>(List.of("ab"));
        all.addAll(List.of(args));
        all.addAll(List.of("--results-dir", dir.resolve("results").toString()));
        return CliRunner.run(all.toArray(new String[0]));
    }

    private void assertNothingWritten() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().equals("results")), "no results folder");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--rounds=1                 | --rounds must be at least 2 and at most 1000, not 1",
        "--format=xml               | unknown format 'xml'; valid: markdown, json",
        "--alpha=1.5                | --alpha must be between 0 and 1",
        "--warmup-time=soon         | --warmup-time: 'soon' is not a time",
        "--gaps=-3                  | --gaps must be 0 or more, not -3",
        "--bench=NoSuchBenchmark    | --bench: 'NoSuchBenchmark' matches no benchmark",
        "--profile=fast             | unknown profile 'fast'; valid: smoke, quick, full",
    })
    void badOptionsExit2WithOneLine(String option, String fragment) throws IOException {
        CliRunner r = ab("--baseline", thisJdk(), "--candidate", thisJdk(), option);
        r.assertBadInput("ab", fragment);
        assertNothingWritten();
    }

    @Test
    void aMissingJarIsNamed() throws IOException {
        String missing = dir.resolve("old.jar").toString();
        ab("--baseline", missing, "--candidate", thisJdk()).assertBadInput("ab", "--baseline: " + missing + ": no such readable file");
        assertNothingWritten();
    }

    @Test
    void aFileThatIsNoJarIsNamed() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jar"), "not a zip");
        ab("--baseline", thisJdk(), "--candidate", text.toString()).assertBadInput("ab", "--candidate: " + text + " is not a readable jar");
    }

    @Test
    void aJarWithoutBenchmarksIsNotAnAbsorbJar() throws IOException {
        Path jar = dir.resolve("other.jar");
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        ab("--baseline", jar.toString(), "--candidate", thisJdk())
                .assertBadInput("ab", "--baseline: " + jar + " is not an absorb benchmark jar (it has no META-INF/BenchmarkList");
    }

    @Test
    void aFolderThatIsNoJdkIsNamed() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("not-a-jdk"));
        ab("--baseline", thisJdk(), "--candidate", folder.toString())
                .assertBadInput("ab", "--candidate: " + folder + " is neither a .jar nor a JDK home nor a java executable");
    }

    @Test
    void bothOutAndResultsDirAreRefused() {
        CliRunner r = CliRunner.run("ab", "--baseline", thisJdk(), "--candidate", thisJdk(), "--out", dir.resolve("a").toString(),
                "--results-dir", dir.resolve("b").toString());
        r.assertBadInput("ab", "give --out or --results-dir, not both");
    }

    @Test
    void aMissingSideIsRequired() {
        ab("--baseline", thisJdk()).assertBadInput("ab", "Missing required option: '--candidate=JAR|JDK'");
    }

    /** A side whose JVM cannot run absorb is found before any fork runs, with its own first error line. */
    @Test
    void aJvmThatCannotRunAbsorbIsBadInputWithItsReason() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "needs an executable script");
        Path home = Files.createDirectories(dir.resolve("broken-jdk").resolve("bin"));
        Path java = Files.writeString(home.resolve("java"), "#!/bin/sh\necho 'Error: this JVM is broken' >&2\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        CliRunner r = ab("--baseline", thisJdk(), "--candidate", home.getParent().toString());

        r.assertBadInput("ab", "--candidate: " + home.getParent() + " cannot run absorb (Error: this JVM is broken)");
        assertNothingWritten();
        assertEquals(2, r.exitCode());
    }
}
