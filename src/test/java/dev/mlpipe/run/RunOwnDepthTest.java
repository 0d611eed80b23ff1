package dev.mlpipe.run;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** A run's own items in its model's queue, apart from the other runs' items there ({@code ownMeanDepth}, {@code ownMaxDepth}). */
@QuarkusTest
class RunOwnDepthTest {

    @BeforeEach
    void noOtherRunGoes() {
        await().atMost(Duration.ofSeconds(30)).until(() -> Api.pipeline().getInt("activeRuns") == 0);
    }

    @Test
    void aRunSharingTheQueueCountsOnlyWhatItPutThereBelowTheWholeQueue() {
        int capacity = Api.pipeline().getInt("capacity");
        String flood = start(RunSpecs.spec().items(1, 25).noSentinel().inferenceMs(100).json());
        await().atMost(Duration.ofSeconds(10)).until(() -> Api.pipeline().getInt("depth") == capacity);
        // its three items wait their turn for places behind the other run's and then sit behind its items
        String mine = start(RunSpecs.spec().items(1, 3).noSentinel().inferenceMs(0).json());
        List<JsonPath> items = results(stream(mine)).stream().map(Api::data).toList();
        JsonPath view = awaitEnd(mine);
        JsonPath other = awaitEnd(flood);

        assertThat(view.getInt("queue.maxDepth")).as("the other run filled the queue").isEqualTo(capacity);
        assertThat(view.getInt("queue.ownMaxDepth")).as("all its items at once, and none of the other run's")
                .isEqualTo(Math.min(3, capacity));
        double ownMean = view.getDouble("queue.ownMeanDepth");
        assertThat(ownMean).isPositive().isLessThan(view.getDouble("queue.meanDepth"));
        assertThat(ownMean).as("Little's law: its items' time in the queue over the run's time")
                .isCloseTo(items.stream().mapToDouble(item -> item.getDouble("queueWaitMs")).sum()
                        / view.getDouble("stats.elapsedMs"), within(0.01));
        assertThat(other.getInt("queue.ownMaxDepth")).isLessThanOrEqualTo(other.getInt("queue.maxDepth"));
        assertThat(other.getDouble("queue.ownMeanDepth")).isPositive()
                .isLessThanOrEqualTo(other.getDouble("queue.meanDepth"));
    }

    @Test
    void aRunAloneIsTheWholeQueue() {
        JsonPath view = awaitEnd(start(RunSpecs.spec().items(1, 30).noSentinel().inferenceMs(10).json()));

        assertThat(view.getInt("queue.ownMaxDepth")).isEqualTo(view.getInt("queue.maxDepth"));
        assertThat(view.getDouble("queue.ownMeanDepth")).isPositive()
                .isCloseTo(view.getDouble("queue.meanDepth"), within(0.011));
    }
}
