package dev.mlpipe.broker;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
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

/** A worker over RabbitMQ forms batches from what it has been sent, as the model does in one process. */
@QuarkusTest
@TestProfile(BrokerBatchingTest.BatchesOfFour.class)
@RabbitRequired
class BrokerBatchingTest {

    static final int MAX = 4;

    public static class BatchesOfFour extends BrokerProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("mlpipe.models.simulated.max-batch-size", Integer.toString(MAX));
            overrides.put("mlpipe.models.simulated.batch-delay", "20ms");
            return overrides;
        }
    }

    @Test
    void theWorkerHoldsSeveralFullBatchesForEachModelSlot() {
        assertThat(Rabbit.prefetchOfConsumers(BrokerProfile.ITEMS_QUEUE))
                .as("min-prefetch 512, above prefetch-batches 4 x concurrency 1 x max-batch-size").containsExactly(512);
    }

    @Test
    void aWorkerBehindAFullQueueRunsBatchesUpToTheMaximumAndEveryItemComesBackOnceInOrder() {
        String id = start(RunSpecs.spec().items(1, 60).noSentinel().inferenceMs(20).json());

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
