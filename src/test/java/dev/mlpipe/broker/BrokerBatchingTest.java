package dev.mlpipe.broker;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Rabbit;
import dev.mlpipe.support.RabbitRequired;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A worker over RabbitMQ forms batches from what it has been sent, as the model does in one process: a simulated model
 * of its own, {@link #MODEL}, in batches of up to {@link #MAX} (a batch delay of 20 ms; {@link BrokerProfile}).
 */
@QuarkusTest
@TestProfile(BrokerProfile.class)
@RabbitRequired
class BrokerBatchingTest {

    static final String MODEL = "batches-of-four";
    static final String ITEMS_QUEUE = BrokerProfile.NAMESPACE + ".items." + MODEL;
    static final int MAX = 4;

    @Test
    void theWorkerHoldsSeveralFullBatchesForEachModelSlot() {
        assertThat(Rabbit.prefetchOfConsumers(ITEMS_QUEUE))
                .as("min-prefetch %d, above prefetch-batches 4 x concurrency 1 x max-batch-size %d",
                        BrokerProfile.MIN_PREFETCH, MAX)
                .containsExactly(BrokerProfile.MIN_PREFETCH);
    }

    @Test
    void aWorkerBehindAFullQueueRunsBatchesUpToTheMaximumAndEveryItemComesBackOnceInOrder() {
        String id = start(RunSpecs.spec().model(MODEL).items(1, 60).noSentinel().inferenceMs(20).json());

        JsonPath end = awaitEnd(id);
        List<JsonPath> items = results(stream(id)).stream().map(e -> data(e)).toList();

        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(items).extracting(r -> r.getLong("seq")).as("each once, in load order")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 60).boxed().toList());
        Map<Long, List<JsonPath>> byBatch = items.stream().collect(Collectors.groupingBy(r -> r.getLong("batchId")));
        assertThat(byBatch.values()).allSatisfy(batch -> {
            assertThat(batch.size()).isBetween(1, MAX);
            assertThat(batch).allSatisfy(r -> assertThat(r.getInt("batchSize")).isEqualTo(batch.size()));
        });
        // the worker holds several batches' items behind a busy model: a freed slot finds a full batch waiting
        assertThat(end.getInt("stats.batches.sizeMax")).as("a full batch").isEqualTo(MAX);
    }
}
