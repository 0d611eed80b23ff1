package dev.mlpipe.docs;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged jar as docs/operations.md says to run it in production: from inside {@code target/quarkus-app}, with
 * the class-data archive and the recommended JVM options, its production profile (no {@code %test} settings), the
 * passwords in its environment. Only the addresses differ: 127.0.0.1 and free ports, public and management.
 * What it writes goes to {@code target/docs-it-service.log}.
 */
final class PackagedService implements AutoCloseable {

    private static final File APP = new File("target/quarkus-app");
    private static final File LOG = new File("target/docs-it-service.log").getAbsoluteFile();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final int port;
    private final int managementPort;
    private final Process process;

    private PackagedService(int port, int managementPort, Process process) {
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
    }

    static PackagedService start(Map<String, String> environment) {
        if (!new File(APP, "quarkus-run.jar").isFile()) {
            throw new IllegalStateException("no " + APP + "/quarkus-run.jar: package first (./mvnw package)");
        }
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        if (new File(APP, "app-cds.jsa").isFile()) {
            command.add("-XX:SharedArchiveFile=app-cds.jsa");
        }
        command.addAll(List.of("-XX:+UseSerialGC", "-Xmx256m", "-Xmn32m", "-XX:+ExitOnOutOfMemoryError",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-jar", "quarkus-run.jar"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(APP).redirectErrorStream(true)
                .redirectOutput(LOG);
        builder.environment().putAll(environment);
        try {
            return new PackagedService(port, managementPort, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for readiness; a jar that exits or never gets ready fails with the end of its log. */
    PackagedService awaitReady() {
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> !process.isAlive() || ready());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the packaged jar did not get ready (exited: " + !process.isAlive()
                    + "); its log ends:\n" + logTail(), e);
        }
        if (!process.isAlive()) {
            throw new AssertionError("the packaged jar exited; its log ends:\n" + logTail());
        }
        return this;
    }

    int port() {
        return port;
    }

    int managementPort() {
        return managementPort;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(LOG.toPath());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private boolean ready() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    /** SIGTERM, as an operator stops it; killed if it has not exited within the shutdown timeout. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
