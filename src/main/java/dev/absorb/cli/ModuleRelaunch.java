package dev.absorb.cli;

import dev.absorb.bench.ForkFlags;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar absorb.jar} on a JVM started without {@code --add-modules jdk.incubator.vector}
 * (an incubator module is never resolved by default, and a jar's manifest cannot ask for it):
 * absorb runs itself again on the same java with the module, the JVM flags run-benchmarks.sh
 * passes, and this JVM's own options, then passes the exit code on. stdin and stdout are the
 * child's own; its stderr goes through this process, which drops the line the JVM prints for an
 * incubator module (no JVM option silences it, on JDK 17 or 25). A signal that ends this JVM
 * ends the child too; a child whose parent has died stops by itself.
 *
 * <p>Nothing here may touch a Vector API class: in the JVM that relaunches, none can load.
 */
final class ModuleRelaunch {

    static final String MODULE = ForkFlags.VECTOR_MODULE;
    static final String WARNING = "WARNING: Using incubator modules: " + MODULE;
    /** Set on the child: the parent's pid. */
    static final String PARENT = "absorb.relaunchedBy";
    /** Options the launcher takes from the environment; the child gets them as arguments instead. */
    private static final List<String> OPTION_VARIABLES = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");
    private static final long STOP_SECONDS = 10;

    private ModuleRelaunch() {
    }

    /** Whether this JVM runs without the Vector API module. */
    static boolean needed() {
        return ModuleLayer.boot().findModule(MODULE).isEmpty();
    }

    /**
     * Runs absorb with {@code args} in a child JVM that has the module; returns its exit code, or 3
     * after one line on stderr when this Java runtime has no such module at all.
     */
    static int run(String[] args) {
        if (ModuleFinder.ofSystem().find(MODULE).isEmpty() || System.getProperty(PARENT) != null) {
            System.err.println("absorb: this Java runtime (" + System.getProperty("java.home") + ") has no " + MODULE
                    + " module, which absorb's kernels need; run it on a full JDK 17 or later");
            return Errors.COULD_NOT_FINISH;
        }
        ProcessBuilder builder = new ProcessBuilder(command(args))
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        OPTION_VARIABLES.forEach(builder.environment()::remove);
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            System.err.println("absorb: could not finish: cannot start " + builder.command().get(0) + " with " + MODULE
                    + " (" + Errors.ioMessage(e) + ")");
            return Errors.COULD_NOT_FINISH;
        }
        Thread stderr = new Thread(() -> copyWithoutWarning(child.getErrorStream(), System.err), "absorb-child-stderr");
        stderr.start();
        Thread stopChild = new Thread(() -> stop(child, stderr), "absorb-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            int code = child.waitFor();
            stderr.join();
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Errors.COULD_NOT_FINISH;
        }
    }

    /** In a relaunched JVM: stop when the parent is gone (a SIGKILL runs none of its hooks). */
    static void followParent() {
        String parent = System.getProperty(PARENT);
        if (parent != null) {
            ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> System.exit(Errors.COULD_NOT_FINISH)),
                    () -> System.exit(Errors.COULD_NOT_FINISH));
        }
    }

    /**
     * The same java with the module and run-benchmarks.sh's JIT flags, then this JVM's own options
     * (after ours, so that they win), this JVM's class path, Main, and the arguments.
     */
    static List<String> command(String[] args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(ForkFlags.ALL);
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-D" + PARENT + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /**
     * The child ends with this JVM: asked to stop (SIGTERM), then, after a grace period, killed.
     * Through its ProcessHandle: Process.destroy also closes the child's stderr, and the child's
     * last line would be lost.
     */
    private static void stop(Process child, Thread stderr) {
        if (!child.isAlive()) {
            return;
        }
        child.toHandle().destroy();
        try {
            if (!child.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                child.toHandle().destroyForcibly();
            }
            // the child's last words (its interrupt notice) still reach the terminal
            stderr.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            child.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Copies {@code in} to {@code out} as it arrives (a progress bar redrawn with \r still shows),
     * dropping the first line if it is the incubator warning. Until the first line is known not to
     * be the warning, its bytes wait; after that nothing waits.
     */
    static void copyWithoutWarning(InputStream in, OutputStream out) {
        byte[] warning = WARNING.getBytes(StandardCharsets.US_ASCII);
        try {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            boolean dropped = false;
            int b;
            while ((b = in.read()) != -1) {
                int i = head.size();
                head.write(b);
                if (i < warning.length ? b != warning[i] : !(b == '\n' || b == '\r' && i == warning.length)) {
                    break; // not the warning
                }
                if (b == '\n') {
                    dropped = true;
                    break;
                }
            }
            if (!dropped) {
                out.write(head.toByteArray());
                out.flush();
            }
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // our stderr is closed, or the child's pipe broke: nothing left to pass on
        }
    }
}
