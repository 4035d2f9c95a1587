package dev.absorb.report;

import dev.absorb.results.MachineProbe;
import dev.absorb.results.RunEnvironment;
import dev.absorb.results.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    @TempDir
    Path dir;

    @Test
    void aFullRunGetsEveryPlotAndAPageThatLinksThem() throws IOException {
        Path run = RunFixtures.run(dir, "run17", true, RunFixtures.JMH_17_A, RunFixtures.ENV_17);
        Path other = RunFixtures.run(dir, "run25", false, RunFixtures.JMH_25, RunFixtures.ENV_25);

        Report.Written written = Report.write(run, List.of(other));

        List<String> plots = written.plots().stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("thresholds-bf16.png", "curves-bf16.png", "cost-bf16.png", "thresholds-e4m3.png", "curves-e4m3.png",
                "thresholds-e2m1.png", "curves-e2m1.png", "comparison-run25-KernelBenchmark.png"), plots);
        String page = Files.readString(written.report());
        assertTrue(page.indexOf("## Summary") < page.indexOf("## Plots") && page.indexOf("## Plots") < page.indexOf("## Tables"));
        assertTrue(page.contains("- **JVM:** OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1 (Debian)"));
        assertTrue(page.contains("| bf16 | 12.5 (15.9) | 12.5 (17.3) | [12.5, 93) |"), page);
        // bf16's sum stagnates at 2048 (8 partials of 256) instead of 128256: both remove absorption
        // by breaking the gradient, and neither is recommended.
        assertTrue(page.contains("| bf16 | none of the 8 swept recipes | – | – | `bf16/grad=complement` (gradient error 30.8 > 0.0507 "
                + "at C = 128256, gap 0; zero-sum residual 0.969 > 0.0107 at C = 128256, gap 0; lse relative error 0.352 > 0.011 "
                + "at C = 128256, gap 0); `bf16/grad=zerosum` ("), page);
        assertTrue(page.contains("### JDK 25, AMD EPYC (`run25`) against this run"), page);
        for (String link : links(page)) {
            assertTrue(Files.isRegularFile(run.resolve(link)), "report.md links " + link);
        }
        assertEquals(16, links(page).size(), "a PNG and an SVG per plot");
        BufferedImage image = ImageIO.read(written.plots().get(1).toFile());
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(2 * Charts.PANEL_HEIGHT, image.getHeight());
        assertTrue(Files.readString(run.resolve("plots/curves-bf16.svg")).startsWith("<?xml"));
        try (Stream<Path> files = Files.list(run.resolve("plots"))) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")));
        }
    }

    @Test
    void sameInputsGiveTheSameBytes() throws IOException {
        Path first = RunFixtures.run(dir, "a/run", true, RunFixtures.JMH_17_A, RunFixtures.ENV_17);
        Path second = RunFixtures.run(dir, "b/run", true, RunFixtures.JMH_17_A, RunFixtures.ENV_17);
        Path other = RunFixtures.run(dir, "other", false, RunFixtures.JMH_17_B, null);

        Report.write(first, List.of(other));
        Report.write(second, List.of(other));
        byte[] reportBefore = Files.readAllBytes(first.resolve(RunFolder.REPORT_MD));
        String again = assertThrows(IllegalArgumentException.class, () -> Report.write(first, List.of(other))).getMessage();

        List<Path> files = new ArrayList<>(List.of(Path.of(RunFolder.REPORT_MD)));
        try (Stream<Path> plots = Files.list(first.resolve("plots"))) {
            plots.map(p -> Path.of("plots", p.getFileName().toString())).sorted().forEach(files::add);
        }
        assertEquals(1 + 2 * 8, files.size());
        for (Path file : files) {
            assertArrayEquals(Files.readAllBytes(first.resolve(file)), Files.readAllBytes(second.resolve(file)), file.toString());
        }
        assertTrue(again.contains("already has a report (report.md); absorb never replaces a file"), again);
        assertArrayEquals(reportBefore, Files.readAllBytes(first.resolve(RunFolder.REPORT_MD)), "a second report is refused");
    }

    @Test
    void theSummaryNamesTheBuildAndTheOptionsWhereEnvJsonRecordsThem() throws IOException {
        // given: an env.json of this build, and one from before absorb recorded its commit
        Path run = RunFixtures.run(dir, "run", true, null, null);
        RunEnvironment.Jmh jmh = new RunEnvironment.Jmh("1.37", 5, List.of("^dev\\.absorb\\.bench\\.", "-f", "1"));
        RunEnvironment env = MachineProbe.current("smoke", jmh, java.time.Instant.parse("2026-11-23T13:00:00Z"));
        Files.writeString(run.resolve(RunFolder.ENV_JSON), env.toJson());
        Path old = RunFixtures.run(dir, "old", true, null, RunFixtures.ENV_17);

        // when
        String page = Files.readString(Report.write(run, List.of()).report());
        String oldPage = Files.readString(Report.write(old, List.of()).report());

        // then
        assertTrue(page.contains("- **absorb:** " + env.absorbVersion() + ", commit " + env.build().commitText() + "\n"), page);
        assertTrue(page.contains("- **JVM arguments:** `` " + String.join(" ", env.jvm().args()) + " ``\n"), page);
        assertTrue(page.contains("- **JMH:** 1.37, 5 runs of `` ^dev\\.absorb\\.bench\\. -f 1 ``\n"), page);
        assertFalse(oldPage.contains("**absorb:**") || oldPage.contains("**JMH:**"), oldPage);
    }

    @Test
    void aRunWithoutJmhSaysSoAndDrawsWhatItCan() throws IOException {
        Path run = RunFixtures.run(dir, "20261123T121526Z_jdk17_amd-epyc", true, null, null);
        Path other = RunFixtures.run(dir, "other", false, RunFixtures.JMH_25, null);

        Report.Written written = Report.write(run, List.of(other));

        String page = Files.readString(written.report());
        assertEquals(6, written.plots().size(), "thresholds and curves of three formats; no cost, no comparison");
        assertTrue(page.contains("- **Benchmarks:** none: this run has no `jmh.json`"), page);
        assertTrue(page.contains("- **JVM and CPU:** not recorded (no `env.json`); the folder's name says jdk17 on amd-epyc."), page);
        assertTrue(page.contains("| bf16 | none of the 8 swept recipes | – | – | `bf16/grad=complement` ("), page);
        assertTrue(page.contains("### Not compared"), page);
        assertFalse(page.contains("cost-"));
    }

    @Test
    void onlyJmhResultsStillMakeAReport() throws IOException {
        Path run = RunFixtures.run(dir, "run", false, RunFixtures.JMH_17_A, null);

        Report.Written written = Report.write(run, List.of());

        assertEquals(List.of(run.resolve("plots/cost-bf16.png")), written.plots());
        assertTrue(Files.readString(written.report()).contains("- **Sweep:** none (no `thresholds.csv`)"));
    }

    @Test
    void anIncompleteRunIsMarkedOnThePage() throws IOException {
        Path run = RunFixtures.run(dir, "run", true, null, null);
        Files.writeString(run.resolve("INCOMPLETE"), "");

        Report.write(run, List.of());

        assertTrue(Files.readString(run.resolve(RunFolder.REPORT_MD)).contains("**This run is incomplete**"));
    }

    @Test
    void aFolderARunStillOwnsIsNotReportedUntilTheRunEnds() throws IOException {
        // given: a run that has taken its folder and written its sweep
        Path folder = dir.resolve("run");
        RunFolder owned = RunFolder.adopt(folder, MachineProbe.current(null, null, java.time.Instant.now()));
        RunFixtures.copy(RunFixtures.SWEEP_THRESHOLDS, folder.resolve(RunFolder.THRESHOLDS_CSV));

        // when, then
        String message = assertThrows(IllegalArgumentException.class, () -> Report.write(folder, List.of())).getMessage();
        assertTrue(message.startsWith(folder + " is in use by pid " + ProcessHandle.current().pid()), message);
        assertFalse(Files.exists(folder.resolve(RunFolder.REPORT_MD)));

        // and once the run has ended unfinished, its files are reported, marked incomplete
        owned.close();
        assertTrue(Files.readString(Report.write(folder, List.of()).report()).contains("**This run is incomplete**"));
    }

    @Test
    void badInputWritesNothing() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path run = RunFixtures.run(dir, "run", true, null, null);

        assertThrows(IllegalArgumentException.class, () -> Report.write(empty, List.of()));
        assertThrows(IllegalArgumentException.class, () -> Report.write(run, List.of(dir.resolve("missing"))));

        try (Stream<Path> files = Files.list(empty)) {
            assertEquals(0, files.count());
        }
        assertFalse(Files.exists(run.resolve(RunFolder.REPORT_MD)));
        assertFalse(Files.exists(run.resolve("plots")));
    }

    private static List<String> links(String page) {
        List<String> links = new ArrayList<>();
        Matcher m = Pattern.compile("\\]\\((plots/[^)]+)\\)").matcher(page);
        while (m.find()) {
            links.add(m.group(1));
        }
        return links.stream().distinct().toList();
    }
}
