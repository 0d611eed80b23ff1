package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import dev.mlpipe.config.PipelineSettings;

class PipelineActivityTest {

    private static void waitPast(PipelineActivity activity, PipelineActivity.Reading from, long micros) {
        await().until(() -> activity.read().atUs() > from.atUs() + micros);
    }

    @Test
    void aSteadyDepthIsItsOwnMean() {
        PipelineActivity activity = new PipelineActivity(10, 1);
        activity.depth(4);
        PipelineActivity.Reading from = activity.read();
        waitPast(activity, from, 2_000);

        assertThat(activity.read().meanDepthSince(from)).isEqualTo(4.0);
    }

    @Test
    void theMeanDepthWeighsEachLevelByHowLongItLasted() {
        PipelineActivity activity = new PipelineActivity(10, 1);
        PipelineActivity.Reading from = activity.read();
        waitPast(activity, from, 5_000);
        PipelineActivity.Reading empty = activity.read();
        activity.depth(10);
        waitPast(activity, empty, 5_000);
        PipelineActivity.Reading to = activity.read();

        double expected = 10.0 * (to.atUs() - empty.atUs()) / (to.atUs() - from.atUs());
        assertThat(to.meanDepthSince(from)).isCloseTo(expected, Offset.offset(0.05));
    }

    @Test
    void theModelWaitsForDataOnlyWhileASlotIsFreeAndTheQueueIsEmpty() {
        PipelineActivity activity = new PipelineActivity(10, 2);
        PipelineActivity.Reading start = activity.read();
        waitPast(activity, start, 2_000);
        PipelineActivity.Reading idle = activity.read();
        assertThat(activity.modelIdleShare(start, idle)).as("nothing to do at all").isEqualTo(1.0);

        activity.modelStarted();
        PipelineActivity.Reading halfBusy = activity.read();
        waitPast(activity, halfBusy, 2_000);
        assertThat(activity.modelIdleShare(halfBusy, activity.read())).as("one of two slots waits").isEqualTo(0.5);

        activity.depth(3);
        PipelineActivity.Reading queued = activity.read();
        waitPast(activity, queued, 2_000);
        assertThat(activity.modelIdleShare(queued, activity.read()))
                .as("a free slot with items in the queue is overhead, not waiting for data").isZero();
    }

    @Test
    void aLiveChangeOfTheSlotsCountsFromItsMomentOn() {
        PipelineActivity activity = new PipelineActivity(10, 1);
        activity.modelStarted();
        PipelineActivity.Reading start = activity.read();
        waitPast(activity, start, 2_000);
        activity.changed(new PipelineSettings.Changed(new PipelineSettings.Settings(10, 1, 1, 0),
                new PipelineSettings.Settings(20, 2, 8, 0)));
        PipelineActivity.Reading changed = activity.read();
        waitPast(activity, changed, 2_000);
        PipelineActivity.Reading end = activity.read();

        double idleShare = (double) (end.atUs() - changed.atUs()) / (end.slotIntegral() - start.slotIntegral());
        assertThat(activity.modelIdleShare(start, end)).as("the new slot waited, the old one worked")
                .isCloseTo(idleShare, Offset.offset(0.01));
        assertThat(activity.capacity()).isEqualTo(20);
        assertThat(activity.concurrency()).isEqualTo(2);
        assertThat(activity.maxBatchSize()).isEqualTo(8);
    }
}
