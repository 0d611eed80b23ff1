package dev.mlpipe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * The simulated model gives a slot back as soon as nobody waits for a batch's results: a cancelled run with a long
 * {@code inferenceMs} must not hold the model for the rest of it.
 */
class InferenceStageTest {

    private static final int MINUTE_MS = 60_000;

    private final PipelineActivity activity = new PipelineActivity(10, 2);
    /** The runs that have ended, as the runs would say. */
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final InferenceStage stage = new InferenceStage(activity,
            new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).of(Models.SIMULATED), "test", 0,
            new ResultSink() {
                @Override
                public void accept(List<Result> results) {
                }

                @Override
                public void failed(Failed item) {
                }

                @Override
                public boolean ended(String id) {
                    return ended.contains(id);
                }
            });

    @AfterEach
    void close() {
        stage.close();
    }

    private CompletableFuture<ResultBatch> infer(Item... batch) {
        CompletableFuture<ResultBatch> done = new CompletableFuture<>();
        assertThat(stage.infer(List.of(batch), null, System.nanoTime(), done::complete)).as("a batch that takes time")
                .isNull();
        return done;
    }

    private static Item item(String run, long seq) {
        return Item.loaded(run, seq, 5, MINUTE_MS, 0);
    }

    @Test
    void aBatchWhoseRunsEndedStopsAtOnceAndFreesItsSlot() {
        CompletableFuture<ResultBatch> done = infer(item("aaaaaaaaaaaa", 1), item("aaaaaaaaaaaa", 2));
        await().until(() -> activity.read().busy() == 1);

        stage.runEnded("aaaaaaaaaaaa");

        ResultBatch results = await().atMost(Duration.ofSeconds(10)).until(() -> done.getNow(null), r -> r != null);
        assertThat(results.results()).hasSize(2);
        assertThat(activity.read().busy()).as("slots busy once the batch ended").isZero();
    }

    @Test
    void aBatchGoesOnWhileOneOfItsRunsStillWaitsForIt() {
        CompletableFuture<ResultBatch> done = infer(item("aaaaaaaaaaaa", 1), item("bbbbbbbbbbbb", 1));

        stage.runEnded("aaaaaaaaaaaa");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !done.isDone());

        stage.runEnded("bbbbbbbbbbbb");
        await().atMost(Duration.ofSeconds(10)).until(done::isDone);
    }

    @Test
    void aBatchWhoseRunEndedWhileItFormedStopsAtOnce() {
        ended.add("aaaaaaaaaaaa"); // its items were taken from the queue before it ended

        CompletableFuture<ResultBatch> done = infer(item("aaaaaaaaaaaa", 1), item("aaaaaaaaaaaa", 2));

        await().atMost(Duration.ofSeconds(10)).until(done::isDone);
    }

    @Test
    void theEndOfAnotherRunChangesNothing() {
        CompletableFuture<ResultBatch> done = infer(item("aaaaaaaaaaaa", 1));

        stage.runEnded("cccccccccccc");

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !done.isDone());
    }
}
