package dev.mlpipe.queue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One data item on its way from a run's loader to the model: the payload of the items link to a broker, so plain JSON.
 *
 * @param seq position in the run's load order, from 1; dropped items use up their number too
 * @param inferenceMs how long the model works on this item (the run's setting travels with it)
 * @param loadedUs when the loader drew it (microseconds since the epoch)
 * @param enqueuedUs when it entered the queue, after any wait for room; 0 before
 * @param queueDepth items in the queue right after this one entered
 */
@RegisterForReflection // the payload of broker messages, outside any REST signature
public record Item(String runId, long seq, int value, int inferenceMs, long loadedUs, long enqueuedUs, int queueDepth) {

    public static Item loaded(String runId, long seq, int value, int inferenceMs, long loadedUs) {
        return new Item(runId, seq, value, inferenceMs, loadedUs, 0, 0);
    }

    /** The same item as it entered the queue. */
    public Item enqueued(long atUs, int depth) {
        return new Item(runId, seq, value, inferenceMs, loadedUs, atUs, depth);
    }
}
