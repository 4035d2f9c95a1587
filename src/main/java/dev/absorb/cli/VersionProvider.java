package dev.absorb.cli;

import dev.absorb.results.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the jar's version, the git commit it was built from, and the JVM it runs on. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        BuildInfo build = BuildInfo.current();
        return new String[] {
            "absorb " + build.version(),
            "commit " + build.commitText(),
            "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
        };
    }
}
