package dev.mlpipe.queue;

import java.util.function.Consumer;

import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The loaders' side of the bounded queue between the loaders and the model, shared by all runs. One implementation per
 * mode, chosen once at start: {@link LocalQueue} in one process, the broker's queue with a broker
 * ({@code broker.BrokerQueue}).
 */
public interface ItemQueue {

    Cancellable NOTHING_TO_CANCEL = () -> {
    };

    /**
     * Puts an item in the queue. {@code settled} is called exactly once: with the item as it entered (its
     * {@code enqueuedUs} and {@code queueDepth} set), or with null when it found no room and {@code wait} is false.
     * It may be called before this method returns, on the caller's thread, or later on the thread that made room.
     *
     * @param wait wait for room (the {@code block} policy), rather than be refused at once
     * @return cancels a wait; an item that has already been given its place enters all the same
     */
    Cancellable enter(Item item, boolean wait, Consumer<Item> settled);

    /**
     * Puts in at once, without waiting, as many of {@code items[from, to)} as there is room for now, in their order:
     * the loader's way to hand over a chunk with one lock rather than one an item. Each item that entered takes its
     * place in the array as it entered ({@code enqueuedUs}, {@code queueDepth}); the rest are the caller's to enter
     * one by one. This default enters none: a queue that cannot say at once (the broker's, which confirms later)
     * takes items one at a time.
     *
     * @return how many entered, the first ones
     */
    default int enterNow(Item[] items, int from, int to) {
        return 0;
    }

    /** Places {@link #enterNow} would fill now; 0 for a queue that takes items one at a time. */
    default int room() {
        return 0;
    }

    /**
     * {@link #enterNow} for a loader whose policy is known: a queue that confirms later (the broker's) can take a chunk
     * of a loader that waits for room ({@code wait}) at once and keep it until the broker has it, where a loader that
     * may not wait must hear of each refusal. By default the same as {@link #enterNow(Item[], int, int)}.
     */
    default int enterNow(Item[] items, int from, int to, boolean wait) {
        return enterNow(items, from, to);
    }

    /** Places {@link #enterNow(Item[], int, int, boolean)} would fill now. */
    default int room(boolean wait) {
        return room();
    }

    /** Why an item was refused, in words for the run's failure message. */
    String refusal(Item item);

    /** The run has ended: its items still queued are removed, where the queue can find them. @return how many */
    int discard(String runId);

    int capacity();


    /** Items in the queue now, over all runs. */
    int depth();
}
