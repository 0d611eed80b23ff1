package dev.mlpipe.load;

import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.ItemQueue;
import dev.mlpipe.queue.Overflow;
import dev.mlpipe.queue.TensorRow;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * One run's loader: draws a value, puts it into the queue as the run's overflow policy says, and goes on. It waits only
 * when it must (for room with {@code block}, for its pace with {@code loadIntervalMs}, for its slowest client) and then
 * without holding a thread: whoever ends the wait puts the loader back on one of the loader threads.
 * <p>
 * A plain loop rather than a Mutiny pipeline: operators and a Uni per item cost more than all the rest of the pipeline
 * (BENCHMARKS.md, scenario 1). When the queue settles an item at once, the loop goes straight on.
 */
public final class Loader implements Runnable, Cancellable {

    // phases of one item's entry: settled on this thread before enter returned, or later on another
    private static final int ENTERING = 0;
    private static final int SETTLED_AT_ONCE = 1;
    private static final int WAITING = 2;
    /** The most items an unpaced loader enters at once: the largest batch worth forming, for a sense of scale. */
    static final int CHUNK = PipelineSettings.MAX_CHUNK;

    private final LoaderEvents run;
    private final Values values;
    private final ItemQueue queue;
    private final ScheduledExecutorService threads;
    private final Overflow overflow;
    private final long intervalMs;
    private final AtomicInteger phase = new AtomicInteger();
    private final Consumer<Item> settled = this::settled;
    private final Runnable resume = this::goOn;
    private volatile boolean stopped;
    private volatile Cancellable waiting;
    private Item current; // the item being entered; written before enter, read by whoever settles it
    private Item settledAtOnce;
    // a chunk (made at the first: a paced loader has none): its values, its items, and those still to enter one at a
    // time, chunk[next, end)
    private int[] drawnValues;
    private TensorRow[] drawnRows;
    private Item[] chunk;
    private int next;
    private int end;

    public Loader(LoaderEvents run, Values values, ItemQueue queue, Overflow overflow, long intervalMs,
            ScheduledExecutorService threads) {
        this.run = run;
        this.values = values;
        this.queue = queue;
        this.overflow = overflow;
        this.intervalMs = intervalMs;
        this.threads = threads;
    }

    public void start() {
        threads.execute(this);
    }

    /**
     * Stops loading: a wait for room is given up; an item that has already been given its place enters all the same.
     * A dataset's file is closed now, not when the loader is collected: a cancelled run holds no file open.
     */
    @Override
    public void cancel() {
        stopped = true;
        Cancellable wait = waiting;
        if (wait != null) {
            wait.cancel();
        }
        values.close();
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                Item item;
                if (next < end) { // drawn in a chunk the queue took only in part: the rest one at a time
                    item = chunk[next];
                    chunk[next++] = null;
                } else {
                    if (!values.hasNext()) {
                        if (!stopped) { // stopped meanwhile, its values were closed: they did not run out
                            run.loaderFinished();
                        }
                        return;
                    }
                    if (intervalMs == 0 && enteredAChunk()) {
                        continue;
                    }
                    if (!run.mayLoad(resume)) {
                        return; // goes on in resume
                    }
                    item = values.ofRows() ? run.draw(values.nextRow()) : run.draw(values.nextInt());
                    if (item == null) {
                        return; // the run has ended
                    }
                }
                current = item;
                phase.set(ENTERING);
                Cancellable wait = queue.enter(item, overflow == Overflow.BLOCK, settled);
                if (phase.compareAndSet(ENTERING, WAITING)) {
                    waiting = wait;
                    if (stopped) {
                        wait.cancel();
                    }
                    return; // goes on in settled, on the thread that settles the item
                }
                if (!accepted(item, settledAtOnce)) {
                    return;
                }
                if (intervalMs > 0 && values.hasNext()) { // the last item: the run ends now, not an interval later
                    threads.schedule(this, intervalMs, TimeUnit.MILLISECONDS);
                    return;
                }
            }
        } catch (RuntimeException e) {
            if (!stopped) { // once stopped, its values may have been closed under it: what failed is not the run's
                run.loaderFailed("the loader failed: " + e);
            }
        }
    }

    /**
     * An unpaced loader with room in the queue draws as many items as fit (up to {@link #CHUNK}, within its clients'
     * pace) and enters them under one lock of the queue and one of its run, rather than one of each an item. Those
     * another loader's items took the room of meanwhile are entered one at a time after it. A chunk never draws an item
     * it would not have drawn one at a time: only what the queue has room for.
     *
     * @return whether it drew a chunk (else it goes on one item at a time)
     */
    private boolean enteredAChunk() {
        int n = Math.min(queue.room(overflow == Overflow.BLOCK), run.mayLoadNow(CHUNK));
        if (n < 2) {
            return false;
        }
        if (chunk == null) {
            drawnValues = new int[CHUNK];
            drawnRows = new TensorRow[CHUNK];
            chunk = new Item[CHUNK];
        }
        int drawn = 0;
        boolean ofRows = values.ofRows();
        while (drawn < n && values.hasNext()) {
            if (ofRows) {
                drawnRows[drawn++] = values.nextRow();
            } else {
                drawnValues[drawn++] = values.nextInt();
            }
        }
        int made = ofRows ? run.drawAll(drawnRows, drawn, chunk) : run.drawAll(drawnValues, drawn, chunk);
        if (ofRows) {
            Arrays.fill(drawnRows, 0, drawn, null); // the items hold them now
        }
        if (made == 0) {
            stopped = true; // the run has ended
            return true;
        }
        int entered = queue.enterNow(chunk, 0, drawn, overflow == Overflow.BLOCK);
        run.enteredAll(chunk, entered);
        Arrays.fill(chunk, 0, entered, null);
        next = entered;
        end = drawn;
        return true;
    }

    private void settled(Item entered) {
        settledAtOnce = entered; // before the phase: the loop reads it once it sees SETTLED_AT_ONCE
        if (phase.compareAndSet(ENTERING, SETTLED_AT_ONCE)) {
            return; // the loop goes on with it, on its own thread
        }
        waiting = null;
        try {
            if (stopped) {
                if (entered != null) {
                    run.entered(entered); // it has its place: it will be processed, or counted cancelled
                }
            } else if (accepted(current, entered)) {
                goOn();
            }
        } catch (RuntimeException e) {
            run.loaderFailed("the loader failed: " + e);
        }
    }

    /** @return whether the loader goes on */
    private boolean accepted(Item item, Item entered) {
        if (entered != null) {
            run.entered(entered);
            return true;
        }
        if (overflow == Overflow.DROP) {
            run.dropped(item);
            return true;
        }
        run.refused(item, queue.refusal(item) + ", and the run's overflow policy is fail");
        return false;
    }

    /**
     * Back on a loader thread: going on on the thread that made room would put the loader, the model and the results on
     * one thread (BENCHMARKS.md, scenario 1).
     */
    private void goOn() {
        if (stopped) {
            return;
        }
        if (intervalMs > 0 && values.hasNext()) {
            threads.schedule(this, intervalMs, TimeUnit.MILLISECONDS);
        } else {
            threads.execute(this);
        }
    }
}
