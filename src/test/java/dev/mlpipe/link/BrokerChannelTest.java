package dev.mlpipe.link;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.pipeline;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.run;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Rabbit;
import dev.mlpipe.support.RabbitRequired;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The links between the stages through a real RabbitMQ (the {@code broker} profile, role all): the broker's queue is
 * the pipeline's bounded queue, and the overflow policies mean with it what they mean in memory.
 */
@RabbitRequired
@QuarkusTest
@TestProfile(BrokerProfile.class)
class BrokerChannelTest {

    private static Rabbit rabbit;

    @BeforeAll
    static void connect() {
        rabbit = Rabbit.connect();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        rabbit.delete(BrokerProfile.RESULTS_EXCHANGE, BrokerProfile.ITEMS_QUEUE,
                BrokerProfile.RESULTS_EXCHANGE + "." + BrokerProfile.INSTANCE);
        rabbit.close();
    }

    @Test
    void aRunCompletesThroughTheBrokerWithEachResultOnceAndInOrder() {
        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline().getInt("broker.workers") == 1);
        JsonPath state = pipeline();
        assertThat(state.getString("role")).isEqualTo("all");
        assertThat(state.getBoolean("broker.reachable")).isTrue();
        assertThat(state.getString("broker.itemsQueue")).isEqualTo(BrokerProfile.ITEMS_QUEUE);
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("broker reachable"));

        String id = start(RunSpecs.spec().items(1, 50).noSentinel().inferenceMs(2).json());
        List<SseClient.Event> results = results(stream(id));

        assertThat(results).extracting(e -> data(e).getLong("seq")).containsExactlyElementsOf(seqs(1, 50));
        assertThat(results).allSatisfy(e -> assertThat(data(e).getString("worker")).isEqualTo(BrokerProfile.INSTANCE));
        JsonPath end = awaitEnd(id);
        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(50);
        assertThat(end.getMap("workers")).containsEntry(BrokerProfile.INSTANCE, 50);
    }

    @Test
    void theBrokersQueueNeverHoldsMoreThanTheCapacityAndBlockLosesNothing() {
        String id = start(RunSpecs.spec().items(1, 80).noSentinel().inferenceMs(15).json());
        AtomicInteger deepest = new AtomicInteger();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
            deepest.accumulateAndGet(rabbit.depth(BrokerProfile.ITEMS_QUEUE), Math::max);
            return !"running".equals(run(id).getString("state"));
        });

        JsonPath end = run(id);
        assertThat(deepest.get()).as("the broker's queue held items, and never more than the capacity")
                .isPositive().isLessThanOrEqualTo(end.getInt("queue.capacity"));
        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(80);
        assertThat(end.getLong("counts.dropped")).isZero();
        // the queue filled up: the loader waited for room, and more than the model waited for data
        assertThat(end.getString("stats.verdict")).isEqualTo("model-bound");
        assertThat(end.getString("stats.reason")).contains("the loader waited for room");
        assertThat(end.getDouble("stats.loaderBlockedShare"))
                .as("the loader waited for room more than the model for data")
                .isGreaterThan(end.getDouble("stats.modelIdleShare"));
        double waitedMs = results(stream(id)).stream().mapToDouble(e -> data(e).getDouble("loaderWaitMs")).sum();
        assertThat(end.getDouble("stats.loaderBlockedShare")).as("the items' waits for room over the run's time")
                .isCloseTo(waitedMs / end.getDouble("stats.elapsedMs"), within(0.002));
    }

    @Test
    void dropCountsWhatTheFullBrokerQueueRefusedAndStreamsTheRest() {
        String id = start(RunSpecs.spec().items(1, 100).noSentinel().inferenceMs(20).overflow("drop").json());
        List<SseClient.Event> events = stream(id);
        JsonPath end = data(events.get(events.size() - 1));

        assertThat(end.getString("state")).isEqualTo("completed");
        long processed = end.getLong("counts.processed");
        long dropped = end.getLong("counts.dropped");
        assertThat(dropped).as("a slow worker leaves no room for some items").isPositive();
        assertThat(processed + dropped).isEqualTo(100);
        assertThat(results(events)).hasSize((int) processed)
                .extracting(e -> data(e).getLong("seq")).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void failEndsTheRunWhenTheBrokerRefusesAnItem() {
        String id = start(RunSpecs.spec().items(1, 100).noSentinel().inferenceMs(20).overflow("fail").json());
        JsonPath end = awaitEnd(id);

        assertThat(end.getString("state")).isEqualTo("failed");
        assertThat(end.getString("failure")).contains("the broker refused item", "overflow policy is fail");
        assertThat(end.getLong("counts.loaded")).isLessThan(100)
                .isEqualTo(end.getLong("counts.processed") + end.getLong("counts.dropped")
                        + end.getLong("counts.cancelled"));
    }

    @Test
    void aResultTheBrokerDeliversTwiceReachesTheStreamOnce() throws IOException {
        String id = start(RunSpecs.spec().items(1, 20).noSentinel().inferenceMs(40).json());
        List<SseClient.Event> events = new ArrayList<>();
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events")) {
            SseClient.Event first;
            do {
                first = client.next(Duration.ofSeconds(10));
                events.add(first);
            } while (!first.type().equals("result"));
            // as a worker would after a lost acknowledgement: the same result once more
            rabbit.publishToExchange(BrokerProfile.RESULTS_EXCHANGE, first.data());
            events.addAll(client.untilEnd(Duration.ofSeconds(30)));
        }

        assertThat(results(events)).extracting(e -> data(e).getLong("seq")).containsExactlyElementsOf(seqs(1, 20));
        assertThat(awaitEnd(id).getLong("counts.processed")).isEqualTo(20);
    }

    @Test
    void messagesThatAreNotItemsOrResultsAreDiscardedAndTheNextRunIsUnharmed() throws IOException {
        rabbit.publishToQueue(BrokerProfile.ITEMS_QUEUE, "not json");
        rabbit.publishToQueue(BrokerProfile.ITEMS_QUEUE, "{\"runId\":\"nobody\",\"seq\":\"first\"}");
        rabbit.publishToExchange(BrokerProfile.RESULTS_EXCHANGE, "[1,2,3]");
        rabbit.publishToExchange(BrokerProfile.RESULTS_EXCHANGE, "{\"seq\":1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.depth(BrokerProfile.ITEMS_QUEUE) == 0);

        String id = start(RunSpecs.spec().items(1, 10).noSentinel().inferenceMs(1).json());
        assertThat(results(stream(id))).hasSize(10);
        assertThat(awaitEnd(id).getString("state")).isEqualTo("completed");
    }

    private static List<Long> seqs(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            seqs.add(s);
        }
        return seqs;
    }
}
