package dev.mlpipe.queue;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.pipeline;
import static dev.mlpipe.support.Api.run;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Metrics;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** A run's priority and deadline, as clients see them in the results, the counts and the stream. */
@QuarkusTest
class PrioritiesAndDeadlinesTest {

    @Test
    void anUrgentRunGoesBeforeTheQueuedItemsOfALaterLevel() {
        int capacity = pipeline().getInt("capacity");
        String background = start(RunSpecs.spec().items(1, 4 * capacity).noSentinel().inferenceMs(100).priority(5).json());
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> pipeline().getInt("depth") == capacity);
            assertThat(run(background).getList("queue.depthByPriority", Integer.class)).as("all of it in the last lane")
                    .containsExactly(0, 0, 0, 0, capacity);
            assertThat(Metrics.value("mlpipe_queue_depth{model=\"simulated\",priority=\"5\"}")).isEqualTo(capacity);
            assertThat(Metrics.value("mlpipe_queue_depth{model=\"simulated\",priority=\"1\"}")).isZero();
            long before = run(background).getLong("counts.processed");

            String urgent = start(RunSpecs.spec().items(1, 5).noSentinel().inferenceMs(0).priority(1).json());
            JsonPath end = awaitEnd(urgent);

            assertThat(end.getString("state")).isEqualTo("completed");
            assertThat(end.getLong("counts.processed")).isEqualTo(5);
            // in one FIFO the urgent run's first item would wait behind the `capacity` items queued before it; in its
            // own lane each of its items waits at most for the inference in progress and one more taken meanwhile
            assertThat(run(background).getLong("counts.processed") - before)
                    .as("background items run while the urgent run went through").isLessThan(capacity);
        } finally {
            cancel(background);
        }
    }

    @Test
    void itemsThatWaitPastTheirDeadlineExpireAndEachIsStreamedCountedAndNeverRun() {
        double expiredBefore = Metrics.valueOrZero("mlpipe_items_total{model=\"simulated\",outcome=\"expired\"}");
        // one item at a time, each 50 ms: with the queue full, most wait longer than 120 ms
        String id = start(RunSpecs.spec().items(1, 30).noSentinel().inferenceMs(50).deadlineMs(120).json());

        JsonPath end = awaitEnd(id);
        List<SseClient.Event> events = stream(id);

        assertThat(end.getString("state")).isEqualTo("completed");
        long processed = end.getLong("counts.processed");
        long expired = end.getLong("counts.expired");
        assertThat(processed).isPositive();
        assertThat(expired).isPositive();
        assertThat(processed + expired).as("loaded = processed + expired").isEqualTo(end.getLong("counts.loaded"))
                .isEqualTo(30);
        List<SseClient.Event> items = events.stream().filter(e -> !e.type().equals("end") && !e.type().equals("stats"))
                .toList();
        assertThat(items).extracting(SseClient.Event::id).as("one event per seq, in load order")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
        List<JsonPath> gone = items.stream().filter(e -> e.type().equals("expired")).map(e -> data(e)).toList();
        assertThat(gone).hasSize((int) expired);
        for (JsonPath item : gone) {
            assertThat(item.getString("runId")).isEqualTo(id);
            assertThat(item.getDouble("queueWaitMs")).as("it waited its deadline out").isGreaterThanOrEqualTo(120);
            assertThat(item.getLong("expiredUs") - item.getLong("enqueuedUs")).isGreaterThanOrEqualTo(120_000);
        }
        assertThat(items.stream().filter(e -> e.type().equals("result")).count()).isEqualTo(processed);
        assertThat(end.getInt("spec.deadlineMs")).isEqualTo(120);
        assertThat(Metrics.valueOrZero("mlpipe_items_total{model=\"simulated\",outcome=\"expired\"}") - expiredBefore)
                .isGreaterThanOrEqualTo(expired);
    }

    @Test
    void aCancelledRunWithExpiredItemsAccountsForEveryItem() {
        String id = start(RunSpecs.spec().items(1, 200).noSentinel().inferenceMs(50).deadlineMs(60).json());
        await().atMost(Duration.ofSeconds(20)).until(() -> run(id).getLong("counts.expired") > 0);

        JsonPath end = cancel(id);

        assertThat(end.getString("state")).isEqualTo("cancelled");
        assertThat(end.getLong("counts.loaded")).isEqualTo(end.getLong("counts.processed")
                + end.getLong("counts.dropped") + end.getLong("counts.cancelled") + end.getLong("counts.expired"));
        assertThat(run(id).getLong("counts.expired")).as("final").isEqualTo(end.getLong("counts.expired"));
    }

    @Test
    void aRunShowsItsPriorityAndADefaultOne() {
        String urgent = start(RunSpecs.spec().items(1, 1).noSentinel().inferenceMs(0).priority(1).json());
        String plain = start(RunSpecs.spec().items(1, 1).noSentinel().inferenceMs(0).json());
        assertThat(awaitEnd(urgent).getInt("spec.priority")).isEqualTo(1);
        JsonPath end = awaitEnd(plain);
        assertThat(end.getInt("spec.priority")).isEqualTo(3);
        assertThat(end.getString("spec.deadlineMs")).as("no deadline").isNull();
    }
}
