package dev.mlpipe.reliability;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.run;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.HeldClients;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SocketSseClient;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Pacing is per run: a run held by a lossless client that stopped reading waits alone, and another run sharing the
 * queue goes its own speed. The stall timeout is far longer than the test, so the client holds its run throughout.
 */
@QuarkusTest
@TestProfile(HeldClients.class)
public class PacedRunIsolationTest {

    private static final int HELD_ITEMS = 50_000;

    @Test
    void aRunHeldByAStalledClientDoesNotSlowAnotherRunSharingTheQueue() {
        String held;
        try (SocketSseClient stalled = SocketSseClient.start(RunSpecs.spec().draws(HELD_ITEMS).seed(21).inferenceMs(0)
                .json(), "")) {
            assertThat(stalled.status()).isEqualTo(201);
            held = stalled.header("Location").substring("/api/runs/".length());

            String other = start(RunSpecs.spec().draws(5_000).seed(22).inferenceMs(0).json());
            JsonPath otherEnd = awaitEnd(other);
            assertThat(otherEnd.getString("state")).isEqualTo("completed");
            assertThat(otherEnd.getLong("counts.processed")).isEqualTo(5_000);
            assertThat(otherEnd.getDouble("stats.loaderPacedShare")).as("its loader never waited for a reader")
                    .isZero();

            JsonPath heldNow = run(held);
            assertThat(heldNow.getString("state")).as("the held run, when the other completed").isEqualTo("running");
            assertThat(heldNow.getLong("counts.loaded")).isLessThan(HELD_ITEMS);
            assertThat(heldNow.getInt("subscribers")).as("its client is still connected").isEqualTo(1);

            given().when().delete("/api/runs/" + held).then().statusCode(200);
            JsonPath heldEnd = run(held);
            assertThat(heldEnd.getString("state")).isEqualTo("cancelled");
            long loaded = heldEnd.getLong("counts.loaded");
            long processed = heldEnd.getLong("counts.processed");
            assertThat(loaded).isEqualTo(processed + heldEnd.getLong("counts.dropped")
                    + heldEnd.getLong("counts.cancelled"));

            // the client that stopped reading was held, not dropped: once it reads, it gets all there is, then the end
            List<SseClient.Event> events = stalled.readToEnd().events();
            assertThat(events.stream().filter(e -> e.type().equals("result")).map(SseClient.Event::id))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, processed).boxed().toList());
            SseClient.Event last = events.get(events.size() - 1);
            assertThat(last.type()).isEqualTo("end");
            assertThat(data(last).getString("state")).isEqualTo("cancelled");
            assertThat(data(last).getLong("counts.processed")).isEqualTo(processed);
        }
    }

    @Test
    void aRunHeldByAStalledClientIsShownReaderBoundWhileItIsHeldAndAfterItIsCancelled() {
        try (SocketSseClient stalled = SocketSseClient.start(RunSpecs.spec().draws(HELD_ITEMS).seed(23).inferenceMs(0)
                .json(), "")) {
            String held = stalled.header("Location").substring("/api/runs/".length());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonPath view = run(held);
                assertThat(view.getString("state")).isEqualTo("running");
                assertThat(view.getInt("subscribers")).as("its client is still connected").isEqualTo(1);
                assertThat(view.getString("stats.verdict"))
                        .as("the verdict while its loader waits for the client (%s)", view.getMap("stats"))
                        .isEqualTo("reader-bound");
            });

            given().when().delete("/api/runs/" + held).then().statusCode(200);
            JsonPath end = run(held);
            assertThat(end.getString("stats.verdict")).as("the verdict once cancelled (%s)", end.getMap("stats"))
                    .isEqualTo("reader-bound");
        }
    }
}
