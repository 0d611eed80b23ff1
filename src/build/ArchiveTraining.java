import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes the class-data archive (target/quarkus-app/app-cds.jsa) from a whole start: ready, a short run, its stream,
 * the metrics, then a clean stop. Quarkus' own training run stops after static init, so what a start loads later (the
 * HTTP servers, Vert.x, Netty, the run's first request) was read from the jars at every start. Run by the build
 * (pom.xml, exec-maven-plugin, package phase) with the JDK that builds, which must be the one that runs the archive:
 *
 *     java src/build/ArchiveTraining.java target/quarkus-app
 */
public class ArchiveTraining {

    private static final String ARCHIVE = "app-cds.jsa";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        File app = new File(args[0]);
        Path archive = app.toPath().resolve(ARCHIVE);
        Files.deleteIfExists(archive);
        Path log = app.toPath().resolveSibling("archive-training.log");
        int port;
        int management;
        // both sockets open at once: one closed before the next is chosen could be handed out again
        try (ServerSocket first = new ServerSocket(0); ServerSocket second = new ServerSocket(0)) {
            port = first.getLocalPort();
            management = second.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + ARCHIVE,
                // the heap options docs/operations.md recommends for production, which the archive is used with
                "-XX:+UseSerialGC", "-Xmx256m", "-Xmn32m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + management,
                "-jar", "quarkus-run.jar"));
        Process service = new ProcessBuilder(command).directory(app).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            String base = "http://127.0.0.1:" + port;
            awaitReady("http://127.0.0.1:" + management + "/q/health/ready", service, log);
            String created = send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"maxItems\":10,\"inferenceMs\":0,\"sentinel\":null}")));
            String id = created.replaceAll("(?s).*?\"id\":\"([^\"]+)\".*", "$1");
            send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id + "/events")));
            send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id)));
            send(HttpRequest.newBuilder(URI.create(base + "/api/runs")));
            send(HttpRequest.newBuilder(URI.create(base + "/")));
            send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/q/metrics")));
        } finally {
            service.destroy(); // SIGTERM: a clean stop, at whose end the JVM writes the archive
            if (!service.waitFor(60, TimeUnit.SECONDS)) {
                service.destroyForcibly();
                throw new IllegalStateException("the training start did not stop in 60 s; see " + log);
            }
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("no " + archive + " was written; see " + log);
        }
        System.out.printf("[archive-training] %s: %d MB from a start to ready, a 10-item run and a stop%n", archive,
                Files.size(archive) >> 20);
    }

    private static void awaitReady(String ready, Process service, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the training start exited: " + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(ready)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the training start was not ready in 120 s; see " + log);
    }

    private static String send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }
}
