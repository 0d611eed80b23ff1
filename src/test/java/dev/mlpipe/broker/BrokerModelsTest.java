package dev.mlpipe.broker;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.pipeline;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.run;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Rabbit;
import dev.mlpipe.support.RabbitRequired;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The shipped digits model through RabbitMQ (the {@code broker} profile, role all: the api publishes, the worker in
 * the same process consumes): its items, their rows of numbers with them, go through its own queue, and what comes
 * back is what the model gives in one process.
 */
@RabbitRequired
@QuarkusTest
@TestProfile(BrokerProfile.class)
class BrokerModelsTest {

    /** Digits in batches (the profile's), so that its prefetch differs from the simulated model's. */
    static final int DIGITS_BATCH = 32;

    @Test
    void eachModelHasItsOwnQueueWithItsOwnBoundAndPrefetch() throws IOException {
        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline().getInt("broker.workers") == 1);
        JsonPath broker = pipeline();
        assertThat(broker.getList("broker.models.model")).startsWith("simulated").contains("digits");
        assertThat(broker.getList("broker.models.itemsQueue")).contains(BrokerProfile.ITEMS_QUEUE,
                BrokerProfile.DIGITS_QUEUE);
        assertThat(Rabbit.prefetchOfConsumers(BrokerProfile.DIGITS_QUEUE))
                .as("prefetch-batches 4 x concurrency 1 x max-batch-size").containsExactly(4 * DIGITS_BATCH);
        assertThat(Rabbit.prefetchOfConsumers(BrokerProfile.ITEMS_QUEUE)).as("min-prefetch: batches of one")
                .containsExactly(BrokerProfile.MIN_PREFETCH);
    }

    @Test
    void aDigitsRunThroughTheBrokerGetsTheGoldenPredictionOfEveryRow() throws IOException {
        List<String> golden = resourceLines("golden/digits.csv");
        String id = start(RunSpecs.spec().model("digits").dataset("digits", 1).maxItems(300).json());
        JsonPath end = awaitEnd(id);
        List<SseClient.Event> results;
        try (SseClient client = SseClient.connect("/api/runs/" + id
                + "/events?fields=row,prediction,label,correct,outputs,worker")) {
            results = results(client.untilEnd(Duration.ofSeconds(60)));
        }

        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(results).hasSize(300);
        int agree = 0;
        for (SseClient.Event event : results) {
            JsonPath result = data(event);
            int row = result.getInt("row");
            String[] cells = golden.get(1 + row).split(",");
            assertThat(result.getString("prediction")).as("row %d", row).isEqualTo(cells[11]);
            assertThat(result.getBoolean("correct")).isEqualTo(cells[11].equals(result.getString("label")));
            assertThat(result.getString("worker")).isEqualTo(BrokerProfile.INSTANCE);
            List<Float> outputs = result.getList("outputs", Float.class);
            assertThat(outputs).as("the whole output row came back").hasSize(10);
            for (int k = 0; k < 10; k++) {
                assertThat((double) outputs.get(k)).as("row %d, p%d", row, k)
                        .isCloseTo(Double.parseDouble(cells[1 + k]), within(1e-5));
            }
            agree += cells[11].equals(result.getString("label")) ? 1 : 0;
        }
        assertThat(end.getDouble("accuracy.accuracy")).as("the run's accuracy, of the golden predictions")
                .isCloseTo(agree / 300.0, within(1e-6)); // a float
        assertThat(end.getLong("counts.processed")).isEqualTo(300);
        assertThat(end.getLong("counts.loaded")).as("every item loaded is accounted for")
                .isEqualTo(end.getLong("counts.processed") + end.getLong("counts.failed")
                        + end.getLong("counts.dropped") + end.getLong("counts.cancelled")
                        + end.getLong("counts.expired"));
    }

    @Test
    void aSlowSimulatedRunDoesNotHoldADigitsRunOnTheBroker() {
        // the simulated queue full and its model busy for a minute: digits items have a queue and a line of their own
        String slow = start(RunSpecs.spec().inferenceMs(60).noSentinel().maxItems(1000).json());
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> run(slow).getLong("counts.processed") >= 3);
            String digits = start(RunSpecs.spec().model("digits").dataset("digits", 1).maxItems(300).json());

            JsonPath end = awaitEnd(digits);
            JsonPath stillGoing = run(slow);

            assertThat(end.getString("state")).isEqualTo("completed");
            assertThat(end.getLong("counts.processed")).isEqualTo(300);
            assertThat(stillGoing.getString("state")).as("the slow run, when the digits run ended")
                    .isEqualTo("running");
            assertThat(stillGoing.getLong("counts.processed")).isLessThan(1000);
        } finally {
            cancel(slow);
        }
        assertThat(awaitEnd(slow).getString("state")).isEqualTo("cancelled");
    }

    private static List<String> resourceLines(String resource) throws IOException {
        try (InputStream in = BrokerModelsTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
