package dev.mlpipe.model;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.run;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.Metrics;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SmallSettings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * How a model forms batches, as a client sees them in the results: their ids, sizes and timelines. The runs go to a
 * simulated model of their own ({@link SmallSettings#BATCHED}) with one slot, so that batches form in one place.
 */
@QuarkusTest
@TestProfile(SmallSettings.class)
class BatchingTest {

    private static final String MODEL = SmallSettings.BATCHED;
    private static final int MAX = SmallSettings.BATCH_MAX;
    private static final int DELAY_MS = SmallSettings.BATCH_DELAY_MS;
    private static final double ITEM_COST = SmallSettings.BATCH_ITEM_COST;

    /** A run of the batching model. */
    private static RunSpecs spec() {
        return RunSpecs.spec().model(MODEL);
    }

    private static List<JsonPath> resultsOf(String id) {
        return results(stream(id)).stream().map(e -> data(e)).toList();
    }

    /** Items by the batch they ran in, batches in the order they ran. */
    private static Map<Long, List<JsonPath>> byBatch(List<JsonPath> results) {
        return results.stream().collect(Collectors.groupingBy(r -> r.getLong("batchId"), TreeMap::new,
                Collectors.toList()));
    }

    @Test
    void aSlowModelBehindAFullQueueRunsFullBatchesAndIsModelBound() {
        String id = start(spec().items(1, 40).noSentinel().inferenceMs(20).json());
        List<JsonPath> results = resultsOf(id);
        JsonPath end = awaitEnd(id);

        assertThat(results).hasSize(40);
        assertThat(results).allSatisfy(r -> assertThat(r.getInt("batchSize")).isBetween(1, MAX));
        Map<Long, List<JsonPath>> batches = byBatch(results);
        batches.values().forEach(items -> assertThat(items.get(0).getInt("batchSize"))
                .as("a batch of this run alone holds as many items as its results say").isEqualTo(items.size()));
        assertThat(batches.values().stream().skip(1).limit(batches.size() - 2)).as("every batch full once the loader "
                + "has filled the queue (the first may start before the loader's second item; the last holds what is "
                + "left)").isNotEmpty().allSatisfy(items -> assertThat(items).hasSize(MAX));
        assertThat(results).as("a batch of n takes its one-item time x (1 + cost x (n - 1)), never less")
                .allSatisfy(r -> assertThat(r.getDouble("inferenceMs"))
                        .isGreaterThanOrEqualTo(20 * (1 + ITEM_COST * (r.getInt("batchSize") - 1))));
        assertThat(end.getString("stats.verdict")).isEqualTo("model-bound");
        assertThat(end.getLong("stats.batches.count")).isEqualTo(batches.size());
        long full = batches.values().stream().filter(items -> items.size() == MAX).count();
        assertThat(end.getDouble("stats.batches.fullShare"))
                .isCloseTo((double) full / batches.size(), within(0.001));
        assertThat(end.getInt("stats.batches.sizeMax")).isEqualTo(MAX);
        assertThat(end.getDouble("stats.batches.sizeMean"))
                .isCloseTo(40.0 / batches.size(), within(0.01));
        assertThat(Metrics.value("mlpipe_batch_size_count{model=\"" + MODEL + "\"}"))
                .isGreaterThanOrEqualTo(batches.size());
        assertThat(Metrics.value("mlpipe_batch_size_bucket{model=\"" + MODEL + "\",le=\"4.0\"}"))
                .isGreaterThanOrEqualTo(batches.size());
        JsonPath model = Api.model(MODEL);
        assertThat(model.getInt("settings.maxBatchSize")).isEqualTo(MAX);
        assertThat(model.getDouble("settings.batchDelayMs")).isEqualTo((double) DELAY_MS);
    }

    @Test
    void aSlowLoadersItemsGoInPartialBatchesOnceTheyHaveWaitedTheDelay() {
        String id = start(spec().items(1, 6).noSentinel().loadIntervalMs(DELAY_MS * 4).inferenceMs(1).json());
        List<JsonPath> results = resultsOf(id);
        JsonPath end = awaitEnd(id);

        assertThat(results).hasSize(6);
        Map<Long, List<JsonPath>> batches = byBatch(results);
        assertThat(batches.values()).as("the loader is slower than the delay: no batch fills")
                .allSatisfy(items -> assertThat(items.get(0).getInt("batchSize")).isLessThan(MAX));
        for (List<JsonPath> items : batches.values()) {
            JsonPath first = items.get(0); // the first item taken waited the whole delay, and not much longer
            assertThat(first.getLong("startedUs") - first.getLong("dequeuedUs"))
                    .isGreaterThanOrEqualTo(DELAY_MS * 1000L);
            assertThat(first.getDouble("batchWaitMs")).isGreaterThanOrEqualTo(DELAY_MS);
        }
        assertThat(end.getString("stats.verdict")).isEqualTo("loader-bound");
        assertThat(end.getDouble("stats.batches.fullShare")).isEqualTo(0.0);
        assertThat(end.getDouble("stats.batches.waitMs.p50")).isGreaterThanOrEqualTo(DELAY_MS * 0.99);
    }

    @Test
    void aCancelledRunsItemsNeverShowInAnotherRunsResults() {
        String kept = start(spec().items(1, 60).noSentinel().inferenceMs(15).json());
        String cancelled = start(spec().items(1, 60).noSentinel().inferenceMs(15).json());
        await().atMost(Duration.ofSeconds(20)).until(() -> run(cancelled).getLong("counts.processed") >= 8);
        JsonPath atCancel = cancel(cancelled);

        List<JsonPath> keptResults = resultsOf(kept);
        List<JsonPath> cancelledResults = resultsOf(cancelled);
        JsonPath cancelledEnd = awaitEnd(cancelled);

        assertThat(keptResults).hasSize(60).allSatisfy(r -> assertThat(r.getString("runId")).isEqualTo(kept));
        assertThat(cancelledResults).allSatisfy(r -> assertThat(r.getString("runId")).isEqualTo(cancelled));
        assertThat(cancelledResults).as("no result of the cancelled run after it was cancelled")
                .hasSize(atCancel.getInt("counts.processed"));
        assertThat(cancelledEnd.getLong("counts.loaded")).isEqualTo(cancelledEnd.getLong("counts.processed")
                + cancelledEnd.getLong("counts.dropped") + cancelledEnd.getLong("counts.cancelled"));
        byBatch(keptResults).values().forEach(items -> assertThat(items.size())
                .as("a batch shared by both runs holds no more than its size").isLessThanOrEqualTo(
                        items.get(0).getInt("batchSize")));
        assertThat(keptResults).allSatisfy(r -> assertThat(r.getInt("batchSize")).isBetween(1, MAX));
    }
}
