package dev.mlpipe.load;

import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.TensorRow;

/** What a loader tells its run, which keeps the counts; the run implements it, so the loader needs nothing else of it. */
public interface LoaderEvents {

    /**
     * Whether the loader may load another item now. If not, it waits: {@code resume} runs once it may (the run's
     * clients set the pace).
     */
    boolean mayLoad(Runnable resume);

    /** The loader drew a value. @return the item to enqueue, or null once the run has ended */
    Item draw(int value);

    /** The loader drew a tensor model's row. @return the item to enqueue, or null once the run has ended */
    Item draw(TensorRow row);

    /** The item entered the queue (after any wait for room). */
    void entered(Item item);

    /**
     * How many items the loader may draw now without a wait for its clients: a chunk never goes beyond the pace they
     * set (at most {@code max}; 0 when it must wait or the run has ended: it then loads one at a time).
     */
    int mayLoadNow(int max);

    /**
     * The loader drew {@code values[0, n)} at once, as {@link #draw} each. @return how many items it wrote into
     * {@code into}: {@code n}, or 0 once the run has ended
     */
    int drawAll(int[] values, int n, Item[] into);

    /** The loader drew {@code rows[0, n)} at once, as {@link #draw(TensorRow)} each; as the other drawAll. */
    int drawAll(TensorRow[] rows, int n, Item[] into);

    /** Items {@code items[0, n)} entered the queue at once. */
    void enteredAll(Item[] items, int n);

    /** The queue was full and the item was dropped ({@code drop}). */
    void dropped(Item item);

    /** The queue was full and the run fails ({@code fail}), for the reason given. */
    void refused(Item item, String reason);

    /** The values ran out: the sentinel, maxItems or the end of the list. */
    void loaderFinished();

    void loaderFailed(String reason);
}
