package dev.mlpipe.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.mlpipe.config.Priority;

/** What a worker takes from the broker: only an item a run could have made. */
class ItemTest {

    private static Item item(String runId, long seq, int inferenceMs, long loadedUs, int queueDepth) {
        return new Item(runId, seq, 7, inferenceMs, Priority.DEFAULT, 0, loadedUs, 0, queueDepth);
    }

    @Test
    void anItemARunMadeHasNoFlaw() {
        assertThat(item("0123456789ab", 1, 0, 0, 0).flaw()).isNull();
        assertThat(item("0123456789ab", Long.MAX_VALUE, Item.MAX_INFERENCE_MS, 1, 10).flaw()).isNull();
    }

    @Test
    void eachFlawNamesTheFieldAndItsRule() {
        assertThat(item(null, 1, 0, 0, 0).flaw()).startsWith("runId").contains("12 lowercase hexadecimal digits");
        assertThat(item("0123456789AB", 1, 0, 0, 0).flaw()).startsWith("runId");
        assertThat(item("0123456789ab0", 1, 0, 0, 0).flaw()).startsWith("runId");
        assertThat(item("0123456789ab", 0, 0, 0, 0).flaw()).isEqualTo("seq must be at least 1");
        assertThat(item("0123456789ab", 1, -1, 0, 0).flaw()).startsWith("inferenceMs");
        assertThat(item("0123456789ab", 1, Item.MAX_INFERENCE_MS + 1, 0, 0).flaw()).startsWith("inferenceMs");
        assertThat(item("0123456789ab", 1, 0, -1, 0).flaw()).contains("must not be negative");
        assertThat(item("0123456789ab", 1, 0, 0, -1).flaw()).contains("must not be negative");
    }

    @Test
    void aPriorityOrDeadlineNoRunCouldSetIsAFlaw() {
        Item fine = item("0123456789ab", 1, 0, 0, 0);
        assertThat(withLanes(fine, 1, Item.MAX_DEADLINE_MS).flaw()).isNull();
        assertThat(withLanes(fine, Priority.LEVELS, 0).flaw()).isNull();
        assertThat(withLanes(fine, 0, 0).flaw()).isEqualTo("priority must be within 1 and " + Priority.LEVELS);
        assertThat(withLanes(fine, Priority.LEVELS + 1, 0).flaw()).startsWith("priority");
        assertThat(withLanes(fine, 1, -1).flaw()).startsWith("deadlineMs must be within 0 and");
        assertThat(withLanes(fine, 1, Item.MAX_DEADLINE_MS + 1).flaw()).startsWith("deadlineMs");
    }

    @Test
    void anItemWithADeadlineExpiresThatLongAfterItEnteredTheQueue() {
        Item item = withLanes(item("0123456789ab", 1, 0, 0, 0), 1, 250).enqueued(1_000_000, 1);
        assertThat(item.expiresUs()).isEqualTo(1_250_000);
        assertThat(item("0123456789ab", 1, 0, 0, 0).expiresUs()).as("no deadline").isEqualTo(Long.MAX_VALUE);
    }

    private static Item withLanes(Item item, int priority, int deadlineMs) {
        return new Item(item.runId(), item.seq(), item.value(), item.inferenceMs(), priority, deadlineMs,
                item.loadedUs(), item.enqueuedUs(), item.queueDepth());
    }
}
