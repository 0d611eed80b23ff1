package dev.mlpipe.queue;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a run's loader does when the queue is full. */
public enum Overflow {
    /** Wait for room, as Python's {@code queue.put} does: nothing is lost. */
    @JsonProperty("block")
    BLOCK,
    /** Drop the new item, count it, go on. */
    @JsonProperty("drop")
    DROP,
    /** End the run as failed. */
    @JsonProperty("fail")
    FAIL
}
