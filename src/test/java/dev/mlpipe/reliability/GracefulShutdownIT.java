package dev.mlpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.SseClient;
import io.restassured.path.json.JsonPath;

/**
 * Promise 5, on the packaged jar with a real SIGTERM: the service stops taking runs (readiness down, POST 503), lets
 * the model finish what is queued, sends every open stream its remaining results and an end event (interrupted, with
 * honest counts), and exits 0.
 */
class GracefulShutdownIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void sigtermDrainsTheQueueEndsEveryStreamAndExitsZero() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        String java = ProcessHandle.current().info().command().orElse("java");
        Process app = new ProcessBuilder(java, "-Dquarkus.http.port=" + port, "-jar",
                "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(new File("target/graceful-shutdown-it.log")).start();
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> get(base + "/q/health/ready").statusCode() == 200);
            String items = IntStream.rangeClosed(1, 300).mapToObj(Integer::toString)
                    .collect(Collectors.joining(",", "[", "]"));
            String id = JsonPath.from(post(base + "/api/runs", "{\"items\":" + items
                    + ",\"sentinel\":-1,\"inferenceMs\":100}").body()).getString("id");

            try (SseClient client = SseClient.connect(URI.create(base + "/api/runs/" + id + "/events"), Map.of())) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> client.next(Duration.ofSeconds(10)).type().equals("result"));
                await().atMost(Duration.ofSeconds(10)).until(() -> JsonPath.from(get(base + "/api/pipeline").body())
                        .getInt("depth") == 10);

                app.destroy(); // SIGTERM

                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                        .until(() -> get(base + "/q/health/ready").statusCode() == 503);
                HttpResponse<String> refused = post(base + "/api/runs", "{}");
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).contains("shutting down");

                List<SseClient.Event> rest = client.untilEnd(Duration.ofSeconds(30));
                JsonPath end = JsonPath.from(rest.get(rest.size() - 1).data());
                assertThat(end.getString("state")).isEqualTo("interrupted");
                long loaded = end.getLong("counts.loaded");
                long processed = end.getLong("counts.processed");
                assertThat(loaded).isLessThan(300)
                        .isEqualTo(processed + end.getLong("counts.dropped") + end.getLong("counts.cancelled"));
                long received = 1 + rest.stream().filter(e -> e.type().equals("result")).count();
                assertThat(received).as("every processed result reached the stream").isEqualTo(processed);
                assertThat(end.getLong("counts.cancelled")).as("the queue was drained, not dropped")
                        .isLessThanOrEqualTo(1);
            }
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("the service exits").isTrue();
            assertThat(app.exitValue()).isZero();
        } finally {
            app.destroyForcibly();
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
