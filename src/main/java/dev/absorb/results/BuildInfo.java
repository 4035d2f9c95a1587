package dev.absorb.results;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Which build of absorb is running: the jar's version, and the git commit it was built from with
 * whether the work tree had uncommitted changes. The build writes the commit into the resource
 * {@value #RESOURCE} (git-commit-id-maven-plugin, pom.xml); a build outside a git checkout
 * writes none, and then the commit is {@value #UNKNOWN} and dirty is null.
 *
 * @param commit {@value #UNKNOWN} (or null, in an env.json older than the key) where unknown
 * @param dirty  null where unknown
 */
public record BuildInfo(String version, String commit, Boolean dirty) {

    static final String RESOURCE = "/dev/absorb/git.properties";
    public static final String UNKNOWN = "unknown";
    static final String NOT_FROM_JAR = "development build (not from the jar)";

    private static final class Current {
        static final BuildInfo INFO = read();
    }

    /** This build's, read once. */
    public static BuildInfo current() {
        return Current.INFO;
    }

    private static BuildInfo read() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        Properties git = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                git.load(in);
            }
        } catch (IOException unreadable) {
            // as if built outside git
        }
        String commit = git.getProperty("git.commit.id", "").trim();
        String dirty = git.getProperty("git.dirty", "").trim();
        return new BuildInfo(version != null ? version : NOT_FROM_JAR, commit.isEmpty() ? UNKNOWN : commit,
                dirty.isEmpty() ? null : Boolean.valueOf(dirty));
    }

    /** {@code 4f3c2a1b9e0d} or {@code 4f3c2a1b9e0d (with uncommitted changes)}: the commit for people, 12 digits. */
    public String commitText() {
        if (commit == null || commit.equals(UNKNOWN)) {
            return UNKNOWN;
        }
        String shortCommit = commit.length() > 12 ? commit.substring(0, 12) : commit;
        return Boolean.TRUE.equals(dirty) ? shortCommit + " (with uncommitted changes)" : shortCommit;
    }
}
