package dev.mlpipe.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a worker takes from the broker: only an item a run could have made. */
class ItemTest {

    private static Item item(String runId, long seq, int inferenceMs, long loadedUs, int queueDepth) {
        return new Item(runId, seq, 7, inferenceMs, loadedUs, 0, queueDepth);
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
}
