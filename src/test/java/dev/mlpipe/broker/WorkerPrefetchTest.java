package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** A worker's prefetch holds a full batch for each model slot. */
class WorkerPrefetchTest {

    @Test
    void aWorkerHoldsSeveralBatchesForEachModelSlot() {
        OptionalInt unset = OptionalInt.empty();
        assertThat(WorkerPrefetch.prefetch(unset, unset, unset)).as("four batches of one").isEqualTo(4);
        assertThat(WorkerPrefetch.prefetch(OptionalInt.of(4), OptionalInt.of(8), unset)).isEqualTo(4 * 8 * 4);
        assertThat(WorkerPrefetch.prefetch(OptionalInt.of(4), OptionalInt.of(8), OptionalInt.of(2))).isEqualTo(64);
        assertThat(WorkerPrefetch.prefetch(unset, OptionalInt.of(64), OptionalInt.of(1))).isEqualTo(64);
    }

    @Test
    void aWorkerOfAFastModelHoldsAtLeastTheFloorAheadUnlessTheOperatorLowersIt() {
        assertThat(WorkerPrefetch.floor(OptionalInt.empty())).as("batches of one: 64 ahead, not 4").isEqualTo(64);
        assertThat(WorkerPrefetch.floor(OptionalInt.of(1))).as("strictly by priority").isEqualTo(1);
        assertThat(WorkerPrefetch.floor(OptionalInt.of(100_000))).isEqualTo(65_535);
    }

    @Test
    void aPausedIntakeCanHoldAllTheBrokerSentIt() {
        assertThat(WorkerPrefetch.settings(256, 256)).containsEntry(
                "mp.messaging.incoming.items-in.max-outstanding-messages", "256")
                .containsEntry("mp.messaging.incoming.items-in.pausable.buffer-size", "256");
        assertThat(WorkerPrefetch.settings(4, 1000)).as("an operator's own prefetch")
                .containsEntry("mp.messaging.incoming.items-in.pausable.buffer-size", "1000");
        assertThat(WorkerPrefetch.settings(1, 1)).as("Mutiny's smallest buffer")
                .containsEntry("mp.messaging.incoming.items-in.pausable.buffer-size", "16");
    }

    @Test
    void itStaysWithinWhatAmqpCanCarry() {
        assertThat(WorkerPrefetch.prefetch(OptionalInt.of(1024), OptionalInt.of(4096), OptionalInt.empty()))
                .isEqualTo(65_535);
    }
}
