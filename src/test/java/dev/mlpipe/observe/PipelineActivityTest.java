package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.mlpipe.config.PipelineSettings;

/** Levels over time, on a clock the test moves by hand: every mean and share is exact. */
class PipelineActivityTest {

    /** Microseconds; any start will do. */
    private final AtomicLong nowUs = new AtomicLong(1_700_000_000_000_000L);

    private PipelineActivity activity(int capacity, int concurrency) {
        return new PipelineActivity(capacity, concurrency, 1, nowUs::get);
    }

    private void pass(long micros) {
        nowUs.addAndGet(micros);
    }

    @Test
    void aSteadyDepthIsItsOwnMean() {
        PipelineActivity activity = activity(10, 1);
        activity.depth(4);
        PipelineActivity.Reading from = activity.read();
        pass(2_000);

        assertThat(activity.read().meanDepthSince(from)).isEqualTo(4.0);
    }

    @Test
    void theMeanDepthWeighsEachLevelByHowLongItLasted() {
        PipelineActivity activity = activity(10, 1);
        PipelineActivity.Reading from = activity.read();
        pass(5_000); // empty
        activity.depth(10);
        pass(15_000);
        activity.depth(2);
        pass(5_000);
        PipelineActivity.Reading to = activity.read();

        assertThat(to.atUs() - from.atUs()).isEqualTo(25_000);
        assertThat(to.meanDepthSince(from)).isEqualTo((0 * 5_000 + 10 * 15_000 + 2 * 5_000) / 25_000.0);
    }

    @Test
    void theModelWaitsForDataOnlyWhileASlotIsFreeAndTheQueueIsEmpty() {
        PipelineActivity activity = activity(10, 2);
        PipelineActivity.Reading start = activity.read();
        pass(2_000);
        PipelineActivity.Reading idle = activity.read();
        assertThat(activity.modelIdleShare(start, idle)).as("nothing to do at all").isEqualTo(1.0);

        activity.modelStarted();
        PipelineActivity.Reading halfBusy = activity.read();
        pass(2_000);
        assertThat(activity.modelIdleShare(halfBusy, activity.read())).as("one of two slots waits").isEqualTo(0.5);

        activity.depth(3);
        PipelineActivity.Reading queued = activity.read();
        pass(2_000);
        assertThat(activity.modelIdleShare(queued, activity.read()))
                .as("a free slot with items in the queue is overhead, not waiting for data").isZero();
        assertThat(activity.modelIdleSeconds()).as("2 ms with both slots waiting, 2 ms with one of two")
                .isEqualTo(0.003);
    }

    @Test
    void aLiveChangeOfTheSlotsCountsFromItsMomentOn() {
        PipelineActivity activity = activity(10, 1);
        activity.modelStarted();
        PipelineActivity.Reading start = activity.read();
        pass(2_000);
        activity.changed(new PipelineSettings.Changed(new PipelineSettings.Settings(10, 1, 1, 0),
                new PipelineSettings.Settings(20, 2, 8, 0)));
        pass(2_000);
        PipelineActivity.Reading end = activity.read();

        assertThat(end.slotIntegral() - start.slotIntegral()).as("1 slot for 2 ms, then 2").isEqualTo(6_000);
        assertThat(activity.modelIdleShare(start, end)).as("the new slot waited, the old one worked")
                .isEqualTo(2_000 / 6_000.0);
        assertThat(activity.capacity()).isEqualTo(20);
        assertThat(activity.concurrency()).isEqualTo(2);
        assertThat(activity.maxBatchSize()).isEqualTo(8);
    }
}
