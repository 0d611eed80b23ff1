package dev.mlpipe.queue;

/**
 * An item that waited in the queue longer than its run's {@code deadlineMs} and left it unrun: what the queue tells the
 * runs (a CDI event: the queue sits below the runs and does not know them).
 *
 * @param atUs when it left the queue (microseconds since the epoch)
 */
public record Expired(Item item, long atUs) implements Returned {

    @Override
    public long seq() {
        return item.seq();
    }
}
