package dev.absorb.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The real JMH runs under src/test/resources/dev/absorb/results/fixtures (see its README), and
 * the cases derived from them: copies with one benchmark's samples scaled, rows removed.
 */
public final class Fixtures {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    /** A fixture file or folder, in place (read only). */
    public static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/dev/absorb/results/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of fixture folder {@code name} under {@code dir}, to derive a case from. */
    public static Path copyFolder(String name, Path dir) {
        Path target = dir.resolve(name);
        try (Stream<Path> files = Files.list(path(name))) {
            Files.createDirectories(target);
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Multiplies every raw sample of the results that {@code which} selects in {@code jmhJson}, in place. */
    public static void scaleSamples(Path jmhJson, Predicate<JsonNode> which, double factor) throws IOException {
        ArrayNode root = (ArrayNode) MAPPER.readTree(jmhJson.toFile());
        int scaled = 0;
        for (JsonNode result : root) {
            if (which.test(result)) {
                for (JsonNode fork : result.path("primaryMetric").path("rawData")) {
                    ArrayNode iterations = (ArrayNode) fork;
                    for (int i = 0; i < iterations.size(); i++) {
                        iterations.set(i, DoubleNode.valueOf(iterations.get(i).doubleValue() * factor));
                    }
                }
                scaled++;
            }
        }
        if (scaled == 0) {
            throw new IllegalArgumentException("no result selected in " + jmhJson);
        }
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(jmhJson.toFile(), root);
    }

    /** Removes the results that {@code which} selects, in place. */
    public static void removeResults(Path jmhJson, Predicate<JsonNode> which) throws IOException {
        ArrayNode root = (ArrayNode) MAPPER.readTree(jmhJson.toFile());
        for (int i = root.size() - 1; i >= 0; i--) {
            if (which.test(root.get(i))) {
                root.remove(i);
            }
        }
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(jmhJson.toFile(), root);
    }

    /** Keeps only each fork's first {@code iterations} samples and the first {@code forks} forks, in place. */
    public static void truncateSamples(Path jmhJson, int forks, int iterations) throws IOException {
        ArrayNode root = (ArrayNode) MAPPER.readTree(jmhJson.toFile());
        for (JsonNode result : root) {
            ArrayNode raw = (ArrayNode) result.path("primaryMetric").path("rawData");
            while (raw.size() > forks) {
                raw.remove(raw.size() - 1);
            }
            for (JsonNode fork : raw) {
                while (fork.size() > iterations) {
                    ((ArrayNode) fork).remove(fork.size() - 1);
                }
            }
        }
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(jmhJson.toFile(), root);
    }

    /** Selects the result of benchmark method {@code method} with recipe {@code recipe}. */
    public static Predicate<JsonNode> benchmark(String method, String recipe) {
        return r -> r.path("benchmark").asText().endsWith("." + method) && r.path("params").path("recipe").asText().equals(recipe);
    }
}
