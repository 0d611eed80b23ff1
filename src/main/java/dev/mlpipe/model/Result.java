package dev.mlpipe.model;

import dev.mlpipe.queue.Item;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the model made of one item, with the item's timeline: the payload of the results link, so plain JSON. Times are
 * microseconds since the Unix epoch.
 */
@RegisterForReflection
public record Result(String runId, long seq, int value, String prediction, double score, int queueDepth,
        long loadedUs, long enqueuedUs, long dequeuedUs, long startedUs, long finishedUs) {

    static Result of(Item item, Prediction prediction, long dequeuedUs, long startedUs, long finishedUs) {
        return new Result(item.runId(), item.seq(), item.value(), prediction.label(), prediction.score(),
                item.queueDepth(), item.loadedUs(), item.enqueuedUs(), dequeuedUs, startedUs, finishedUs);
    }
}
