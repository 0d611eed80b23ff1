package dev.mlpipe.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives this JVM the lowest CPU priority (nice 19), for the fuzz tests: {@code ./mvnw verify} runs each in a JVM of its
 * own beside the three unit-test suites (the pom's {@code two-jvms} profile), whose application builds before their
 * first test keep both cores busy and are the phase's longest path; at nice 19 a fuzz JVM takes what those leave idle. On
 * Linux only: every thread in {@code /proc/self/task} (threads started later take their parent's priority); elsewhere,
 * or without {@code renice}, the JVM keeps its priority and only the phase takes longer.
 */
public final class LowPriority implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        Path threads = Path.of("/proc/self/task");
        if (!Files.isDirectory(threads)) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("renice", "-n", "19", "-p"));
        try (Stream<Path> ids = Files.list(threads)) {
            ids.map(id -> id.getFileName().toString()).forEach(command::add);
        }
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException noRenice) {
            // keeps its priority
        }
    }
}
