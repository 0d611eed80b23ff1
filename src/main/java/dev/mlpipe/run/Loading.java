package dev.mlpipe.run;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.mlpipe.load.Loader;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.ItemQueue;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Drives one run's loader: draws a value, puts it into the queue as the run's overflow policy says, and goes on. It
 * waits only when it must, for room (with {@code block}) or for its pace ({@code loadIntervalMs}), and then without
 * holding a thread. A plain loop rather than a Mutiny pipeline: a chain of operators per item cost more than all the
 * rest of the pipeline (see BENCHMARKS.md).
 */
final class Loading implements Runnable, Cancellable {

    private final Run run;
    private final Loader values;
    private final ItemQueue queue;
    private final ScheduledExecutorService threads;
    private final long intervalMs;
    private volatile boolean stopped;
    private volatile Cancellable waitingForRoom;

    Loading(Run run, ItemQueue queue, ScheduledExecutorService threads) {
        this.run = run;
        this.values = Loader.of(run.spec());
        this.queue = queue;
        this.threads = threads;
        this.intervalMs = run.spec().loadIntervalMs();
    }

    void start() {
        threads.execute(this);
    }

    @Override
    public void cancel() {
        stopped = true;
        Cancellable waiting = waitingForRoom;
        if (waiting != null) {
            waiting.cancel();
        }
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                if (!values.hasNext()) {
                    run.loaderFinished();
                    return;
                }
                Item item = run.draw(values.next());
                if (item == null) {
                    return; // the run has ended
                }
                if (queue.brokered()) {
                    publish(item, 0);
                    return;
                }
                Item entered = queue.offer(item);
                if (entered != null) {
                    run.entered(entered);
                } else if (!overflowed(item)) {
                    return;
                }
                if (intervalMs > 0) {
                    threads.schedule(this, intervalMs, TimeUnit.MILLISECONDS);
                    return;
                }
            }
        } catch (RuntimeException e) {
            run.fail("the loader failed: " + e);
        }
    }

    /**
     * With a broker, one item at a time: the loader goes on once the broker has confirmed it. A refused item (the
     * broker's queue was full, or the broker is away) is handled as the overflow policy says; {@code block} publishes
     * it again after a pause that grows from 5 ms to a second.
     */
    private void publish(Item item, int attempt) {
        waitingForRoom = queue.publish(item).subscribe().with(entered -> {
            waitingForRoom = null;
            if (stopped) {
                return;
            }
            if (entered != null) {
                run.entered(entered);
                goOn();
            } else if (run.spec().overflow() != Overflow.BLOCK) {
                if (overflowed(item)) {
                    goOn();
                }
            } else {
                long pauseMs = Math.min(1_000, 5L << Math.min(attempt, 8));
                threads.schedule(() -> {
                    if (!stopped) {
                        publish(item, attempt + 1);
                    }
                }, pauseMs, TimeUnit.MILLISECONDS);
            }
        }, failure -> run.fail("the loader failed: " + failure));
    }

    private void goOn() {
        if (intervalMs > 0) {
            threads.schedule(this, intervalMs, TimeUnit.MILLISECONDS);
        } else {
            threads.execute(this);
        }
    }

    /** The queue was full. @return whether the loader goes on at once */
    private boolean overflowed(Item item) {
        switch (run.spec().overflow()) {
            case DROP -> {
                run.dropped(item);
                return true;
            }
            case FAIL -> {
                run.dropped(item);
                run.fail((queue.brokered()
                        ? "the broker refused item " + item.seq() + " (its queue was full, capacity " + queue.capacity()
                                + ", or the broker was unreachable)"
                        : "the queue was full (capacity " + queue.capacity() + ") when item " + item.seq()
                                + " was loaded")
                        + ", and the run's overflow policy is fail");
                return false;
            }
            default -> {
                waitingForRoom = queue.put(item, entered -> {
                    waitingForRoom = null;
                    try {
                        run.entered(entered);
                    } catch (RuntimeException e) {
                        run.fail("the loader failed: " + e);
                    }
                    // back on a loader thread: going on here, on the thread that freed the place, would put the
                    // loader, the model and the results all on one thread (BENCHMARKS.md, scenario 1)
                    goOn();
                });
                return false;
            }
        }
    }
}
