package dev.mlpipe.broker;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.run;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.Rabbit;
import dev.mlpipe.support.RabbitRequired;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * A {@code block} loader's items through RabbitMQ several to a message ({@code mlpipe.broker.items-per-message}, 32 by
 * default): the capacity bounds the items outstanding, whatever the messages; every item comes back once, in order; an
 * item a worker dies on reaches the dead letters alone. A simulated model of its own, {@link #MODEL}, at capacity
 * {@link #CAPACITY} ({@link BrokerProfile}).
 */
@RabbitRequired
@QuarkusTest
@TestProfile(BrokerProfile.class)
class BatchedMessagesTest {

    static final String MODEL = "hundred-places";
    static final String ITEMS_QUEUE = BrokerProfile.NAMESPACE + ".items." + MODEL;
    /** Room for several whole messages of 32 items (the default items-per-message), and past the worker's prefetch. */
    static final int CAPACITY = 100;
    /** What the worker holds of the model: the profile's min-prefetch, in messages. */
    private static final int PREFETCH = BrokerProfile.MIN_PREFETCH;

    private static Rabbit rabbit;

    @Inject
    BrokerIntake worker;

    @Inject
    BrokerQueues queues;

    @BeforeAll
    static void connect() {
        rabbit = Rabbit.connect();
    }

    @AfterAll
    static void close() throws IOException {
        rabbit.close();
    }

    /** Items of the model in the broker's queue or held by the worker, as {@code GET /api/models/{name}} shows them. */
    private static int depth() {
        return Api.model(MODEL).getInt("depth");
    }

    @Test
    void aBlockRunsItemsGoSeveralToAMessageTheCapacityCountsItemsAndEachComesBackOnceInOrder() {
        String id;
        worker.stopTaking(); // what the api sends gathers at the worker, unacknowledged
        try {
            id = start(RunSpecs.spec().model(MODEL).items(1, 1_000).noSentinel().inferenceMs(0).json());
            await().atMost(Duration.ofSeconds(20)).until(() -> run(id).getLong("counts.loaded") >= CAPACITY);
            // the broker and the worker would take far more messages: the api holds the rest back
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> depth() == CAPACITY && worker.held() > 0);
            assertThat(worker.held()).as("the capacity's items in messages of up to 32: %s",
                    queues.describe(MODEL)).isBetween(CAPACITY / 32, CAPACITY / 10);
        } finally {
            worker.resume();
        }
        AtomicInteger deepest = new AtomicInteger();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
            deepest.accumulateAndGet(depth(), Math::max);
            return !"running".equals(run(id).getString("state"));
        });

        JsonPath end = awaitEnd(id);
        List<JsonPath> results = results(stream(id)).stream().map(e -> data(e)).toList();
        assertThat(results).extracting(r -> r.getLong("seq")).as("each once, in load order")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 1_000).boxed().toList());
        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.loaded")).isEqualTo(end.getLong("counts.processed")).isEqualTo(1_000);
        assertThat(end.getInt("queue.capacity")).isEqualTo(CAPACITY);
        assertThat(List.of(deepest.get(), end.getInt("queue.maxDepth"), end.getInt("queue.ownMaxDepth")))
                .as("the depth, in items: polled, the run's deepest, its own deepest")
                .allSatisfy(depth -> assertThat(depth).isPositive().isLessThanOrEqualTo(CAPACITY));
        assertThat(results).extracting(r -> r.getInt("queueDepth")).as("the depth each item entered at")
                .allSatisfy(depth -> assertThat(depth).isBetween(1, CAPACITY));
    }

    @Test
    void anItemAWorkerDiesOnInAMessageOf32ReachesTheDeadLettersAloneAndItsNeighboursRun() throws IOException {
        rabbit.purge(BrokerProfile.DEAD);
        List<Integer> values = new ArrayList<>(IntStream.rangeClosed(1, 32).boxed().toList());
        values.set(5, PoisonItems.VALUE); // seq 6
        String id;
        worker.stopTaking();
        try {
            id = start(RunSpecs.spec().model(MODEL).items(values).noSentinel().inferenceMs(0).json());
            await().atMost(Duration.ofSeconds(10)).until(() -> worker.held() >= 1
                    && run(id).getLong("counts.loaded") == 32);
            assertThat(worker.held()).as("the 32 items in one message").isEqualTo(1);
        } finally {
            worker.resume();
        }
        JsonPath end = awaitEnd(id);
        List<SseClient.Event> events = stream(id);

        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(31);
        assertThat(end.getLong("counts.failed")).isEqualTo(1);
        assertThat(results(events)).extracting(e -> data(e).getLong("seq")).as("its neighbours, each once, in order")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 32).filter(seq -> seq != 6).boxed().toList());
        SseClient.Event failed = events.stream().filter(e -> e.type().equals("failed")).findFirst().orElseThrow();
        assertThat(data(failed).getLong("seq")).isEqualTo(6);
        assertThat(data(failed).getString("reason")).contains("failed 3 times", "dead letters");
        GetResponse letter = rabbit.take(BrokerProfile.DEAD);
        assertThat(letter).as("the item, in the dead letters").isNotNull();
        assertThat(new String(letter.getBody(), StandardCharsets.UTF_8)).as("one item, alone")
                .startsWith("{").contains("\"runId\":\"" + id + "\"", "\"seq\":6,");
        assertThat(letter.getProps().getHeaders()).containsEntry(Delivery.FAILED_DELIVERIES, 3);
        assertThat(rabbit.take(BrokerProfile.DEAD)).as("nothing else").isNull();
    }

    @Test
    void anUrgentRunsItemsLeaveTheBrokersQueueBeforeTheQueuedItemsOfALaterLevel() throws IOException {
        // drop: one item a message, so that past what the worker holds (its prefetch, in messages) they wait in the
        // broker's queue; a block run's items would fit the prefetch in a few messages
        int background = PREFETCH + 20;
        String later;
        String urgent;
        worker.stopTaking(); // items gather in the broker's queue, in the order they were published
        try {
            rabbit.purge(ITEMS_QUEUE);
            later = start(RunSpecs.spec().model(MODEL).items(1, background).noSentinel().inferenceMs(0).priority(5)
                    .overflow("drop").json());
            await().atMost(Duration.ofSeconds(10)).until(() -> run(later).getLong("counts.loaded") == background);
            urgent = start(RunSpecs.spec().model(MODEL).items(1, 4).noSentinel().inferenceMs(0).priority(1).json());
            // the worker holds the first PREFETCH messages; the rest of the later level's, and the urgent run's
            // message, wait in the broker's queue
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    rabbit.depth(ITEMS_QUEUE))
                    .as(() -> "messages ready in the broker's queue; the worker holds " + worker.held()
                            + " messages; the api: " + queues.describe(MODEL))
                    .isGreaterThanOrEqualTo(background - PREFETCH + 1));
        } finally {
            worker.resume();
        }
        assertThat(awaitEnd(urgent).getString("state")).isEqualTo("completed");
        JsonPath laterEnd = awaitEnd(later);
        assertThat(laterEnd.getString("state")).isEqualTo("completed");
        assertThat(laterEnd.getLong("counts.dropped")).as("the capacity had room for both runs").isZero();

        long lastUrgent = results(stream(urgent)).stream().mapToLong(e -> data(e).getLong("dequeuedUs")).max()
                .orElseThrow();
        long laterBefore = results(stream(later)).stream()
                .filter(e -> data(e).getLong("dequeuedUs") < lastUrgent).count();
        assertThat(laterBefore).as("items of the later level run before the urgent run's last: only what the worker "
                + "held already").isLessThanOrEqualTo(PREFETCH);
    }
}
