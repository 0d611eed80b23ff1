package dev.mlpipe.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * What a fuzz test found, printed where CI's log shows it: when a {@code @FuzzTest} fails, each input Jazzer wrote
 * this run ({@code crash-*}, {@code timeout-*}, ... in {@code jazzer.internal.basedir}, pom.xml) in base64, with the
 * commands that keep it among the test's inputs and replay it. A clean checkout has no other copy of it.
 */
public final class FuzzFindings implements TestWatcher {

    private static final List<String> KINDS = List.of("crash-", "timeout-", "oom-", "leak-", "slow-unit-");

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Path written = Path.of(System.getProperty("jazzer.internal.basedir", ""));
        long started = ManagementFactory.getRuntimeMXBean().getStartTime();
        try (Stream<Path> files = Files.isDirectory(written) ? Files.list(written) : Stream.empty()) {
            files.filter(file -> KINDS.stream().anyMatch(file.getFileName().toString()::startsWith))
                    .filter(file -> file.toFile().lastModified() >= started)
                    .forEach(finding -> print(context, finding));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void print(ExtensionContext context, Path finding) {
        Class<?> test = context.getRequiredTestClass();
        String inputs = "src/test/resources/" + test.getPackageName().replace('.', '/') + "/" + test.getSimpleName()
                + "Inputs/" + context.getRequiredTestMethod().getName();
        try {
            byte[] input = Files.readAllBytes(finding);
            System.out.printf("%n%s.%s failed on an input of %d bytes (%s). To replay it, keep it among the test's "
                    + "inputs (each run of the test tries them all), here from base64, and run the test:%n"
                    + "  mkdir -p %s && echo '%s' | base64 -d > %s/%s%n"
                    + "  ./mvnw test -Dtest=%s%n%n", test.getSimpleName(), context.getRequiredTestMethod().getName(),
                    input.length, finding, inputs, Base64.getEncoder().encodeToString(input), inputs,
                    finding.getFileName(), test.getSimpleName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
