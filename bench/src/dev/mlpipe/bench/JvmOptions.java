package dev.mlpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JVM options of the production command the documentation gives (README.md or docs/): read from it, so that
 * scenario 6c runs what a reader is told to run. {@code recommended} is the same without the class-data archive, which
 * holds only when the service starts from inside its application directory.
 *
 * @param source where they were read, for the report
 */
record JvmOptions(List<String> production, String source) {

    /** The class-data archive Quarkus writes at package time, beside quarkus-run.jar. */
    static final String ARCHIVE_PREFIX = "-XX:SharedArchiveFile=";
    /** docs/operations.md's command, used (and said so) if no document has one. */
    static final List<String> FALLBACK = List.of("-XX:SharedArchiveFile=app-cds.jsa", "-XX:+UseSerialGC", "-Xmx256m",
            "-Xmn32m", "-XX:+ExitOnOutOfMemoryError", "-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000");
    /** A command that starts quarkus-run.jar with the archive: "java OPTIONS -jar quarkus-run.jar". */
    private static final Pattern COMMAND = Pattern.compile("\\bjava((?:\\s+-\\S+)+)\\s+-jar\\s+quarkus-run\\.jar");

    List<String> recommended() {
        return production.stream().filter(o -> !o.startsWith(ARCHIVE_PREFIX)).toList();
    }

    static JvmOptions fromDocs(Path repo) throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(repo.resolve("README.md"));
        Path dir = repo.resolve("docs");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
            }
        }
        for (Path doc : docs) {
            if (!Files.exists(doc)) {
                continue;
            }
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = COMMAND.matcher(lines.get(i));
                if (m.find() && m.group(1).contains(ARCHIVE_PREFIX)) {
                    List<String> options = Arrays.stream(m.group(1).trim().split("\\s+")).toList();
                    return new JvmOptions(options, repo.relativize(doc) + " line " + (i + 1));
                }
            }
        }
        return new JvmOptions(FALLBACK,
                "no document has a production command with the archive: the harness's own copy");
    }
}
