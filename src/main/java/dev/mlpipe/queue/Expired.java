package dev.mlpipe.queue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An item that waited in the queue longer than its run's {@code deadlineMs} and left it unrun: what the queue tells the
 * runs (a CDI event: the queue sits below the runs and does not know them).
 *
 * @param atUs when it left the queue (microseconds since the epoch)
 */
@RegisterForReflection // in the results a worker sends over the broker, outside any REST signature
public record Expired(Item item, long atUs) implements Returned {

    @Override
    public String runId() {
        return item.runId();
    }

    @Override
    public long seq() {
        return item.seq();
    }
}
