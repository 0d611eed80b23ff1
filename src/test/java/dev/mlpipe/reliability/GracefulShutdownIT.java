package dev.mlpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.ServiceProcess;
import dev.mlpipe.support.SseClient;
import io.restassured.path.json.JsonPath;

/**
 * Promise 5, on the packaged jar with a real SIGTERM: the service stops taking runs (readiness down, POST 503), lets
 * the model finish what is queued, sends every open stream its remaining results and an end event (interrupted, with
 * honest counts), and exits 0.
 */
class GracefulShutdownIT {

    @Test
    void sigtermDrainsTheQueueEndsEveryStreamAndExitsZero() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("graceful-shutdown-it").awaitReady()) {
            String id = app.startRun(RunSpecs.spec().items(1, 300).noSentinel().inferenceMs(100).json());

            try (SseClient client = SseClient.connect(URI.create(app.base() + "/api/runs/" + id + "/events"),
                    Map.of())) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> client.next(Duration.ofSeconds(10)).type().equals("result"));
                await().atMost(Duration.ofSeconds(10)).until(() -> app.json("/api/pipeline").getInt("depth") == 10);

                app.process().destroy(); // SIGTERM

                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                        .until(() -> app.probe("/q/health/ready").statusCode() == 503);
                HttpResponse<String> refused = app.post("/api/runs", "{}");
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
            assertThat(app.process().waitFor(30, TimeUnit.SECONDS)).as("the service exits").isTrue();
            assertThat(app.process().exitValue()).isZero();
        }
    }
}
