package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.model.Prediction;
import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBatch;
import dev.mlpipe.config.Priority;
import dev.mlpipe.queue.Item;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/**
 * The model as a worker runs it, between two in-memory channels instead of RabbitMQ: items in on {@code items-in},
 * results out on {@code results-out}, each item acknowledged only once its result is.
 */
@QuarkusTest
@QuarkusTestResource(value = InMemoryModelLinks.class, restrictToAnnotatedClass = true)
class BrokerIntakeTest {

    private static final String RUN = "0000000000aa";

    @Inject
    @Any
    InMemoryConnector connector;

    private InMemorySource<Message<Item>> items;
    private InMemorySink<ResultBatch> results;

    @BeforeEach
    void links() {
        items = connector.source("items-in");
        results = connector.sink("results-out");
        results.clear();
    }

    private static Item item(long seq, int value, int inferenceMs) {
        return new Item(RUN, seq, value, inferenceMs, Priority.DEFAULT, 0, 1_000, 2_000, 3);
    }

    @Test
    void eachItemIsPredictedByTheToyModelAfterItsInferenceTime() {
        items.send(Message.of(item(1, 70, 30)));

        await().atMost(Duration.ofSeconds(5)).until(() -> results.received().size() == 1);
        Result result = results.received().get(0).getPayload().results().get(0);
        assertThat(result.runId()).isEqualTo(RUN);
        assertThat(result.prediction()).isEqualTo("high");
        assertThat(result.score()).isEqualTo(Prediction.of(70).score());
        assertThat(result.queueDepth()).isEqualTo(3);
        assertThat(result.loadedUs()).isEqualTo(1_000);
        assertThat(result.enqueuedUs()).isEqualTo(2_000);
        assertThat(result.finishedUs() - result.startedUs()).isGreaterThanOrEqualTo(30_000);
    }

    @Test
    void withConcurrencyOneItemsAreInferredOneAtATimeInFifoOrder() {
        for (int seq = 1; seq <= 6; seq++) {
            items.send(Message.of(item(seq, seq * 10, 5)));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> results.received().size() == 6);
        assertThat(results.received()).as("a message per item taken from the broker")
                .allSatisfy(m -> assertThat(m.getPayload().results()).hasSize(1));
        List<Result> out = results.received().stream().flatMap(m -> m.getPayload().results().stream()).toList();
        assertThat(out).extracting(Result::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i).startedUs()).as("item %d starts after item %d finished", i + 1, i)
                    .isGreaterThanOrEqualTo(out.get(i - 1).finishedUs());
        }
    }

    @Test
    void anItemIsAcknowledgedOnlyOnceItsResultIs() {
        AtomicInteger acks = new AtomicInteger();
        items.send(Message.of(item(1, 10, 400), () -> {
            acks.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }));

        // the sink acknowledges what it receives; until then, the item stays unacknowledged (a broker would redeliver
        // it). Read in this order, an acknowledgement seen means its result is there too, however late a poll runs.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            int acknowledged = acks.get();
            boolean resulted = !results.received().isEmpty();
            if (acknowledged > 0) {
                assertThat(resulted).as("acknowledged before its result was sent").isTrue();
            }
            return resulted;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> acks.get() == 1);
    }
}
