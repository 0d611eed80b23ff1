package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A worker's prefetch of a model holds a full batch for each of that model's slots. */
class WorkerPrefetchTest {

    @Test
    void aWorkerHoldsSeveralBatchesForEachModelSlot() {
        assertThat(WorkerPrefetch.of(4, 8, 4, 1)).isEqualTo(4 * 8 * 4);
        assertThat(WorkerPrefetch.of(4, 8, 2, 1)).isEqualTo(64);
        assertThat(WorkerPrefetch.of(1, 64, 1, 1)).isEqualTo(64);
    }

    @Test
    void aWorkerOfAFastModelHoldsAtLeastTheFloorAheadUnlessTheOperatorLowersIt() {
        assertThat(WorkerPrefetch.of(1, 1, 4, 64)).as("batches of one: 64 ahead, not 4").isEqualTo(64);
        assertThat(WorkerPrefetch.of(1, 1, 1, 1)).as("strictly by priority").isEqualTo(1);
        assertThat(WorkerPrefetch.of(1, 1, 1, 0)).as("never none").isEqualTo(1);
    }

    @Test
    void itStaysWithinWhatAmqpCanCarry() {
        assertThat(WorkerPrefetch.of(1024, 4096, 4, 64)).isEqualTo(65_535);
        assertThat(WorkerPrefetch.of(1, 1, 1, 100_000)).isEqualTo(65_535);
    }
}
