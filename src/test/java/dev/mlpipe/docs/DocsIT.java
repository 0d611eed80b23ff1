package dev.mlpipe.docs;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.mlpipe.support.ServiceProcess;
import dev.mlpipe.support.ShippedJar;

/**
 * Every runnable block ({@code ```sh test}) of README.md, CONTRIBUTING.md and docs/*.md runs as written against the
 * packaged jar in production, one bash per file, blocks in order, each within {@link #BLOCK_LIMIT}; a command that
 * fails, a block that does not finish or an expected output ({@code # => regex}) not printed fails the file's test,
 * naming the block. How to write such a block: CONTRIBUTING.md, "Docs that are tested".
 */
@ExtendWith(ShippedJar.class)
class DocsIT extends DocsTest {

    static final Duration BLOCK_LIMIT = Duration.ofSeconds(30);

    private static ServiceProcess service;

    @BeforeAll
    static void theJarAsShipped(ServiceProcess shipped) {
        service = shipped;
    }

    @TestFactory
    Stream<DynamicTest> everyRunnableBlockRunsAsWritten() {
        return docs().stream().filter(file -> !file.runnableBlocks().isEmpty())
                .map(file -> dynamicTest(file.name(), () -> runBlocksOf(file)));
    }

    private void runBlocksOf(MarkdownFile file) throws IOException, InterruptedException {
        Path directory = ROOT.resolve("target/docs-it").resolve(file.name().replace('/', '-'));
        if (Files.exists(directory)) {
            try (Stream<Path> left = Files.walk(directory)) {
                left.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(directory);
        try (Shell shell = new Shell(directory, Map.of(
                "MLPIPE_AUTH_OPERATOR_PASSWORD", ShippedJar.OPERATOR_PASSWORD,
                "MLPIPE_AUTH_VIEWER_PASSWORD", ShippedJar.VIEWER_PASSWORD,
                // curl must reach the service itself, not a proxy the environment names
                "NO_PROXY", "127.0.0.1,localhost", "no_proxy", "127.0.0.1,localhost"))) {
            for (MarkdownFile.Block block : file.runnableBlocks()) {
                String where = file.name() + ":" + block.line() + " (" + block.firstLine() + ")";
                long deadline = System.nanoTime() + BLOCK_LIMIT.toNanos();
                for (MarkdownFile.Segment segment : block.segments()) {
                    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                    Optional<Shell.Result> result = shell.run(onTheTestsPorts(segment.commands()), left);
                    if (result.isEmpty()) {
                        throw new AssertionError(where + (shell.alive()
                                ? " did not finish within " + BLOCK_LIMIT.toSeconds() + " s"
                                : ": the shell ended (a syntax error, or exit)") + "; the service's log ends:\n"
                                + service.logTail());
                    }
                    String output = result.get().output();
                    if (!result.get().failed().isEmpty()) {
                        throw new AssertionError(where + ": a command exited non-zero (" + result.get().failed()
                                + ") in\n" + segment.commands().strip() + "\nit printed:\n" + output);
                    }
                    for (Pattern expected : segment.expected()) {
                        if (!expected.matcher(output).find()) {
                            throw new AssertionError(where + ": nothing printed matches the expected output \""
                                    + expected + "\" after\n" + segment.commands().strip() + "\nit printed:\n" + output);
                        }
                    }
                }
            }
        }
    }

    /** The docs' addresses (the public port 8080, the management port 9000) made the test service's. */
    private static String onTheTestsPorts(String commands) {
        return commands.replaceAll("(localhost|127\\.0\\.0\\.1):8080\\b", "127.0.0.1:" + service.port())
                .replaceAll("(localhost|127\\.0\\.0\\.1):9000\\b", "127.0.0.1:" + service.managementPort());
    }
}
