package dev.mlpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.ServiceProcess;
import io.restassured.path.json.JsonPath;

/**
 * The packaged service under the recommended heap (256 MB), filled to every documented limit at once: kept results
 * at their memory budget, the most active runs, each with the longest list of items, the most streams of a client and
 * the most connections. It refuses what goes beyond each with its answer, stays live and ready, holds no more live
 * heap than the budgets allow (docs/api.md, "What is kept"), and runs a normal run once the load is gone. A connection
 * that closes makes room for another.
 */
class EveryLimitAtOnceIT {

    private static final int MAX_ACTIVE = 100;
    private static final int STREAMS = 100;
    private static final int CONNECTIONS = 2000;
    private static final int LISTED = 100_000;

    // what the kept things take, as docs/api.md ("What is kept") sizes them
    private static final long BYTES_PER_RESULT = 63;
    private static final long BYTES_PER_LISTED_ITEM = Integer.BYTES;
    private static final long BYTES_PER_QUEUED_ITEM = 60;
    private static final long STATISTICS_BYTES = 42 * 1024;

    @Test
    void atEveryLimitAtOnceTheServiceRefusesTheRestAndStaysHealthy() throws Exception {
        // one address plays every client, so its own run, model-time and connection caps are the service's (the
        // streams cap stays the default)
        try (ServiceProcess app = ServiceProcess.start("every-limit-at-once",
                "mlpipe.limits.runs-per-client=" + MAX_ACTIVE, "mlpipe.limits.runs-per-address=" + MAX_ACTIVE,
                "mlpipe.limits.model-time-per-client=100000h",
                "mlpipe.limits.connections-per-address=" + CONNECTIONS).awaitReady()) {
            long atRest = liveHeap(app);
            List<Socket> held = new ArrayList<>();
            try {
                keptResultsAtTheirBudget(app);
                List<String> runs = mostActiveRunsWithLongestLists(app);
                held.addAll(mostStreamsOfOneClient(app, runs.get(0)));
                held.addAll(mostConnections(app));
                assertThat(held.size()).as("connections held, besides the test's own HTTP client's")
                        .isBetween(CONNECTIONS - 5, CONNECTIONS);

                assertThat(app.process().isAlive()).as("alive: no OutOfMemoryError").isTrue();
                assertThat(app.probe("/q/health/live").statusCode()).isEqualTo(200);
                assertThat(app.probe("/q/health/ready").statusCode()).isEqualTo(200);
                long budgets = budgets(app.json("/api/pipeline"));
                long live = liveHeap(app);
                assertThat(live).as("live heap after a full GC: %,d B at rest + %,d B the budgets allow", atRest,
                        budgets).isLessThanOrEqualTo(atRest + budgets);
                String metrics = app.probe("/q/metrics").body();
                assertThat(sample(metrics, "mlpipe_runs_active")).isEqualTo(MAX_ACTIVE);
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }

            // the load gone, the service is as before
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> app.get("/api/pipeline").statusCode() == 200);
            for (String running : app.json("/api/runs").getList("findAll { it.state == 'running' }.id", String.class)) {
                assertThat(JsonPath.from(app.delete("/api/runs/" + running).body()).getString("state"))
                        .isEqualTo("cancelled");
            }
            String id = app.startRun(RunSpecs.spec().items(1, 50).noSentinel().inferenceMs(0).json());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "completed".equals(app.json("/api/runs/" + id).getString("state")));
            assertThat(app.json("/api/runs/" + id).getInt("counts.processed")).isEqualTo(50);
        }
    }

    /** Two runs of a million results each, more than mlpipe.stream.history-memory (64M) keeps. */
    private static void keptResultsAtTheirBudget(ServiceProcess app) throws Exception {
        for (int i = 0; i < 2; i++) {
            String id = app.startRun(RunSpecs.spec().draws(1_000_000).inferenceMs(0).json());
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> "completed".equals(app.json("/api/runs/" + id).getString("state")));
        }
        JsonPath pipeline = app.json("/api/pipeline");
        assertThat(pipeline.getLong("historyBytes")).as("kept results within their budget")
                .isLessThanOrEqualTo(pipeline.getLong("historyMemory"));
    }

    /** mlpipe.runs.max-active runs of 100,000 listed items each, slow enough to stay active; one more is a 429. */
    private static List<String> mostActiveRunsWithLongestLists(ServiceProcess app) throws Exception {
        String spec = "{\"items\":[" + IntStream.range(0, LISTED).mapToObj(i -> Integer.toString(10 + i % 90))
                .collect(Collectors.joining(",")) + "],\"sentinel\":-1,\"inferenceMs\":800}";
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < MAX_ACTIVE; i++) {
            runs.add(app.startRun(spec));
        }
        var refused = app.post("/api/runs", spec);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        return runs;
    }

    /** The default mlpipe.limits.streams-per-client streams on one run; one more is a 429. */
    private static List<Socket> mostStreamsOfOneClient(ServiceProcess app, String run) throws IOException {
        List<Socket> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            Socket socket = connect(app);
            assertThat(request(socket, "GET /api/runs/" + run + "/events")).isEqualTo("HTTP/1.1 200 OK");
            streams.add(socket);
        }
        try (Socket oneMore = connect(app)) {
            assertThat(request(oneMore, "GET /api/runs/" + run + "/events")).isEqualTo("HTTP/1.1 429 Too Many Requests");
        }
        return streams;
    }

    /**
     * Connections, each with one answer, until the server closes one unanswered: mlpipe.limits.max-connections. Then
     * one of them closes, which makes room for a new one.
     */
    private static List<Socket> mostConnections(ServiceProcess app) throws IOException {
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS + 10; i++) {
            Socket socket = answered(app);
            if (socket == null) {
                open.remove(0).close();
                // the server counts a connection out once it has seen it close: a few tries at most
                open.add(await().atMost(Duration.ofSeconds(30)).until(() -> answered(app), Objects::nonNull));
                return open;
            }
            open.add(socket);
        }
        throw new AssertionError("the server took " + open.size() + " connections, beyond its cap of " + CONNECTIONS);
    }

    /**
     * What the service may hold beyond its own at rest with these settings: the kept results' budget; each active run's
     * pace window, listed items and statistics; each retained run's statistics; a full queue.
     */
    private static long budgets(JsonPath pipeline) {
        long perActiveRun = pipeline.getLong("history") * BYTES_PER_RESULT + LISTED * BYTES_PER_LISTED_ITEM
                + STATISTICS_BYTES;
        return pipeline.getLong("historyMemory") + MAX_ACTIVE * perActiveRun
                + pipeline.getLong("retainedRuns") * STATISTICS_BYTES
                + pipeline.getLong("capacity") * BYTES_PER_QUEUED_ITEM;
    }

    /** Bytes of the objects alive on the service's heap: jcmd's class histogram, which collects (a full GC) first. */
    private static long liveHeap(ServiceProcess app) throws IOException, InterruptedException {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
        Process histogram = new ProcessBuilder(jcmd.toString(), Long.toString(app.process().pid()),
                "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(histogram.waitFor()).as(out).isZero();
        Matcher total = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)\\s*$", Pattern.MULTILINE).matcher(out);
        assertThat(total.find()).as("the histogram's total: %s", out).isTrue();
        return Long.parseLong(total.group(1));
    }

    private static Socket connect(ServiceProcess app) throws IOException {
        URI base = URI.create(app.base());
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** A new connection answered 200, or null (closed) if the server has no room for it. */
    private static Socket answered(ServiceProcess app) throws IOException {
        Socket socket = connect(app);
        String status = request(socket, "GET /api/pipeline");
        if (status == null) {
            socket.close();
            return null;
        }
        assertThat(status).isEqualTo("HTTP/1.1 200 OK");
        return socket;
    }

    /** Sends a request on a kept-alive connection and reads its status line and headers; null if it was closed. */
    private static String request(Socket socket, String line) {
        try {
            socket.getOutputStream().write((line + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII), 1);
            String status = in.readLine();
            for (String header = status; header != null && !header.isEmpty();) {
                header = in.readLine();
            }
            return status;
        } catch (IOException closed) {
            return null;
        }
    }

    private static double sample(String metrics, String prefix) {
        Matcher m = Pattern.compile("^" + Pattern.quote(prefix) + "[^ ]* ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
