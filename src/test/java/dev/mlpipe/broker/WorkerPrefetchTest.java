package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** A worker's prefetch holds a full batch for each model slot. */
class WorkerPrefetchTest {

    @Test
    void thePrefetchIsConcurrencyTimesTheMaxBatchSizeEachOneWhenNotSet() {
        assertThat(WorkerPrefetch.prefetch(OptionalInt.empty(), OptionalInt.empty())).isEqualTo(1);
        assertThat(WorkerPrefetch.prefetch(OptionalInt.of(4), OptionalInt.empty())).isEqualTo(4);
        assertThat(WorkerPrefetch.prefetch(OptionalInt.of(4), OptionalInt.of(8))).isEqualTo(32);
        assertThat(WorkerPrefetch.prefetch(OptionalInt.empty(), OptionalInt.of(64))).isEqualTo(64);
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
        assertThat(WorkerPrefetch.prefetch(OptionalInt.of(1024), OptionalInt.of(4096))).isEqualTo(65_535);
    }
}
