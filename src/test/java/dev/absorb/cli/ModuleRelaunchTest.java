package dev.absorb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * absorb started without {@code --add-modules jdk.incubator.vector}, as {@code java -jar
 * absorb.jar} starts it: it runs itself again with the module, with the same output, exit code,
 * stdin and JVM options, without the JVM's incubator warning, and its child ends with it.
 */
class ModuleRelaunchTest {

    private static String filtered(String stderr) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModuleRelaunch.copyWithoutWarning(new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theWarningIsDroppedOnlyAsTheFirstLine() {
        String warning = ModuleRelaunch.WARNING;
        assertEquals("", filtered(warning + "\n"));
        assertEquals("absorb grad: bad\n", filtered(warning + "\nabsorb grad: bad\n"));
        assertEquals("", filtered(warning + "\r\n"));
        assertEquals("absorb grad: bad\n" + warning + "\n", filtered("absorb grad: bad\n" + warning + "\n"),
                "only the JVM's first line");
        assertEquals(warning + "S\n", filtered(warning + "S\n"), "a longer line is not the warning");
        assertEquals("WARNING: Using", filtered("WARNING: Using"), "a cut-off start is passed on");
        assertEquals("\rsweep [###...] 1/2\rsweep [######] 2/2\n", filtered("\rsweep [###...] 1/2\rsweep [######] 2/2\n"));
        assertEquals("", filtered(""));
    }

    @Test
    void theChildGetsTheModuleTheJitFlagsAndThisJvmsOptionsAfterThem() {
        List<String> command = ModuleRelaunch.command(new String[] {"grad", "bf16"});
        int module = command.indexOf("--add-modules");
        assertEquals(ModuleRelaunch.MODULE, command.get(module + 1));
        assertTrue(command.contains("-XX:CompileCommand=dontinline,dev.absorb.kernel.Simd*::*"), command.toString());
        int main = command.indexOf(Main.class.getName());
        assertEquals(List.of("grad", "bf16"), command.subList(main + 1, command.size()));
        assertEquals(System.getProperty("java.class.path"), command.get(main - 1));
        assertTrue(command.stream().anyMatch(a -> a.startsWith("-D" + ModuleRelaunch.PARENT + "=")), command.toString());
    }

    @Test
    void aPlainJvmGivesTheSameOutputAsTheInProcessCommand() {
        // when
        AbsorbProcess.Result r = AbsorbProcess.plain().run("grad", "bf16/acc=fp32", "--classes", "1000", "--gap", "12");

        // then: the same text, and nothing on stderr: no NoClassDefFoundError, no warning
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertEquals(CliRunner.run("grad", "bf16/acc=fp32", "--classes", "1000", "--gap", "12").out(), r.out());
    }

    @Test
    void stdinAndExitCodesPassThrough() {
        AbsorbProcess.Result round = AbsorbProcess.plain().run("1.00390625\n0.1\n", 60, "round", "--format", "bf16");
        assertEquals(0, round.exitCode(), round.err());
        assertEquals("1.0\n0.10009765625\n", round.out());

        AbsorbProcess.Result bad = AbsorbProcess.plain().run("grad", "bf17", "--classes", "4", "--gap", "1");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.oneErrorLine(), bad.err());
        assertTrue(bad.err().startsWith("absorb grad: "), bad.err());
    }

    @Test
    void thisJvmsOptionsReachTheChild() {
        // given: a heap far too small for the logits, as an option of the JVM that relaunches
        AbsorbProcess.Result r = AbsorbProcess.plain().jvm("-Xmx16m").run("grad", "bf16", "--classes", "16777216", "--gap", "1");

        // then: the child has the same limit
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("16777216 classes need at least 256 MB; the JVM may use at most 16 MB"), r.err());
    }

    @Test
    void theChildEndsWithItsParent(@TempDir Path dir) throws Exception {
        // given: a sweep long enough to be stopped in the middle
        Path out = dir.resolve("run");
        Process parent = AbsorbProcess.plain().start("sweep", "--recipes", "bf16,fp16,fp32,e4m3,e5m2", "--classes",
                "1000,32000,128256", "--out", out.toString(), "--threads", "1");
        AbsorbProcess.awaitFile(out.resolve("env.json"), parent); // the folder is taken, the sweep is running
        List<ProcessHandle> children = parent.descendants().toList();
        assertEquals(1, children.size(), "one child JVM");

        // when: SIGTERM to the parent only
        parent.toHandle().destroy();
        AbsorbProcess.Result r = AbsorbProcess.finish(parent, "", 60);

        // then: both have ended, and the child's notice came through the parent
        assertTrue(children.get(0).onExit().get(30, TimeUnit.SECONDS) != null);
        assertFalse(children.get(0).isAlive());
        assertEquals(143, r.exitCode(), r.err());
        assertEquals("absorb sweep: interrupted; " + out + " stays marked INCOMPLETE\n", r.err());
        assertEquals(List.of("INCOMPLETE", "env.json"), AbsorbProcess.names(out));
    }

    @Test
    void aChildThatStillLacksTheModuleStopsInsteadOfRelaunchingAgain() {
        // A JVM that was relaunched and still has no module names the runtime in one line (the
        // same line as a runtime without the module, which .ci/run checks with a jlink image).
        AbsorbProcess.Result r = AbsorbProcess.plain().jvm("-D" + ModuleRelaunch.PARENT + "=1")
                .run("grad", "bf16", "--classes", "4", "--gap", "1");
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().startsWith("absorb: this Java runtime (") && r.err().contains("has no jdk.incubator.vector module"), r.err());
    }
}
