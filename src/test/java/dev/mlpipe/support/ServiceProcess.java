package dev.mlpipe.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.core.ConditionTimeoutException;

import io.restassured.path.json.JsonPath;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) in a process of its own, as docs/operations.md says
 * to start it in production: {@code java -D... -jar} with the recommended JVM options (and the client compiler only),
 * from inside {@code target/quarkus-app}, with the class-data archive packaging writes there (when it is there), its
 * production profile (no {@code %test} settings), settings as system properties or in its environment, on a free port
 * of 127.0.0.1 and a free management port; what it writes goes to {@code target/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final File APP = new File("target/quarkus-app");
    /** Quarkus' AppCDS archive: it holds only for a start from inside {@link #APP} (README.md, "Performance"). */
    private static final String ARCHIVE = "app-cds.jsa";

    private final String name;
    private final String base;
    private final String management;
    private final Process process;

    private ServiceProcess(String name, int port, int managementPort, Process process) {
        this.name = name;
        this.base = "http://127.0.0.1:" + port;
        this.management = "http://127.0.0.1:" + managementPort;
        this.process = process;
    }

    /**
     * Starts the jar with these system properties (each {@code key=value}) and returns without waiting. It listens on
     * 127.0.0.1, and so does its management interface, which listens where the public port does.
     */
    public static ServiceProcess start(String name, String... properties) {
        return start(name, true, Map.of(), properties);
    }

    /** As {@link #start}, with these environment variables too (as an operator sets passwords). */
    public static ServiceProcess start(String name, Map<String, String> environment, String... properties) {
        return start(name, true, environment, properties);
    }

    /**
     * As {@link #start}, without saying where to listen: where the service's own defaults put it (a worker without
     * passwords: loopback).
     */
    public static ServiceProcess startWhereItChooses(String name, String... properties) {
        return start(name, false, Map.of(), properties);
    }

    private static ServiceProcess start(String name, boolean onLoopback, Map<String, String> environment,
            String... properties) {
        if (!new File(APP, "quarkus-run.jar").isFile()) {
            throw new IllegalStateException("no " + APP + "/quarkus-run.jar: package first (./mvnw package)");
        }
        int[] ports = freePorts(2);
        int port = ports[0];
        int managementPort = ports[1];
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        if (new File(APP, ARCHIVE).isFile()) {
            command.add("-XX:SharedArchiveFile=" + ARCHIVE);
        }
        command.addAll(List.of("-XX:+UseSerialGC", "-Xmx256m", "-Xmn32m", "-XX:+ExitOnOutOfMemoryError",
                // not an operator's option: the client compiler only, as the test JVMs run (the pom's argLine); these
                // processes start, serve a test's few requests and stop, and C2's threads spent a third of a start's
                // CPU on 2 cores (3.2 s to ready, a 10-item run and a stop; 1.9 s without), which the tests beside
                // them waited for
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + managementPort));
        if (onLoopback) {
            command.add("-Dquarkus.http.host=127.0.0.1");
        }
        for (String property : properties) {
            command.add("-D" + property);
        }
        command.addAll(List.of("-jar", "quarkus-run.jar"));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(APP).redirectErrorStream(true)
                    .redirectOutput(log(name));
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new ServiceProcess(name, port, managementPort, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until readiness is up; a process that exits or never gets ready fails with the end of its log. */
    public ServiceProcess awaitReady() {
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> !process.isAlive() || probe("/q/health/ready").statusCode() == 200);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + " did not get ready; its log ends:\n" + logTail(), e);
        }
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited (" + process.exitValue() + "); its log ends:\n" + logTail());
        }
        return this;
    }

    public String base() {
        return base;
    }

    public Process process() {
        return process;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return Api.HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET on the management interface: {@code /q/health/ready}, {@code /q/metrics}. */
    public HttpResponse<String> probe(String path) throws IOException, InterruptedException {
        return Api.HTTP.send(HttpRequest.newBuilder(URI.create(management + path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET on the management interface as this account ({@code /q/metrics} asks for one in production). */
    public HttpResponse<String> probe(String path, String user, String password) throws IOException,
            InterruptedException {
        return Api.HTTP.send(HttpRequest.newBuilder(URI.create(management + path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", basic(user, password)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET on the public port as this account. */
    public HttpResponse<String> get(String path, String user, String password) throws IOException,
            InterruptedException {
        return Api.HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", basic(user, password)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of JSON on the public port as this account. */
    public HttpResponse<String> post(String path, String json, String user, String password) throws IOException,
            InterruptedException {
        return Api.HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", basic(user, password)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A DELETE on the public port as this account. */
    public HttpResponse<String> delete(String path, String user, String password) throws IOException,
            InterruptedException {
        return Api.HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).DELETE()
                .header("Authorization", basic(user, password)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code Authorization} header's value that signs in as this account. */
    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public int port() {
        return URI.create(base).getPort();
    }

    public int managementPort() {
        return URI.create(management).getPort();
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return Api.HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return Api.HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).DELETE()
                .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public JsonPath json(String path) throws IOException, InterruptedException {
        return new ParsedJson(get(path).body());
    }

    /** Starts a run and returns its id. */
    public String startRun(String specJson) throws IOException, InterruptedException {
        HttpResponse<String> created = post("/api/runs", specJson);
        if (created.statusCode() != 201) {
            throw new AssertionError("POST /api/runs answered " + created.statusCode() + ": " + created.body());
        }
        return new ParsedJson(created.body()).getString("id");
    }

    /** Whatever the process has written so far. */
    public String log() throws IOException {
        return java.nio.file.Files.readString(log(name).toPath());
    }

    /** The last 30 lines the process has written, for a failure's message. */
    public String logTail() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(log(name).toPath());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** kill -9: the process gets no chance to finish anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static File log(String name) {
        return new File("target/" + name + ".log").getAbsoluteFile();
    }

    /**
     * Distinct free ports of this machine. Each socket stays open until all are chosen: one closed at once could be
     * handed out again, and a jar given one port for both interfaces serves them on it together.
     */
    public static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port is free again either way
                }
            }
        }
    }
}
