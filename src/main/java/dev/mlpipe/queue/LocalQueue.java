package dev.mlpipe.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The queue in one process: at most {@code capacity} items, oldest first. A loader that finds it full waits its turn in
 * the order loaders asked, without holding a thread, and the place the model frees is handed straight to it, so nobody
 * overtakes it. The model takes items in batches ({@link #take}) and, finding it empty, leaves a wake-up call. One
 * lock guards it all, taken once per item entered and once per batch taken.
 * <p>
 * A structure rather than a channel's bounded buffer: a waiting loader must get the next free place in FIFO order and
 * the model takes batches, where an emitter with a full buffer throws; and a message per item cost more than the rest
 * of the pipeline together (BENCHMARKS.md, scenario 1). With a broker, the broker's queue is the queue instead.
 */
@Singleton // on the path of every item: no client proxy
@Typed(LocalQueue.class) // an ItemQueue only through link.Links, which chooses one per mode
public class LocalQueue implements ItemQueue {

    private final PipelineActivity activity;
    private final ArrayDeque<Item> items = new ArrayDeque<>(); // guarded by this
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(); // guarded by this
    private volatile int capacity; // written under this; read without it only to be shown
    private Runnable idleModel; // guarded by this

    @Inject
    LocalQueue(PipelineActivity activity) {
        this(activity.capacity(), activity);
    }

    /** @param activity told every change of the depth */
    public LocalQueue(int capacity, PipelineActivity activity) {
        this.capacity = capacity;
        this.activity = activity;
    }

    @Override
    public Cancellable enter(Item item, boolean wait, Consumer<Item> settled) {
        Item entered = null;
        Runnable wake = null;
        synchronized (this) {
            if (items.size() < capacity && waiters.isEmpty()) {
                entered = add(item);
                wake = idleModel;
                idleModel = null;
            } else if (wait) {
                Waiter waiter = new Waiter(item, settled);
                waiters.add(waiter);
                return waiter;
            }
        }
        settled.accept(entered);
        if (wake != null) {
            wake.run();
        }
        return NOTHING_TO_CANCEL;
    }

    /**
     * Takes up to {@code max} items out, oldest first. The places they free go to waiting loaders, in the order they
     * asked: their items enter now, and each loader hears of it on this thread. Finding the queue empty, it leaves
     * {@code wake} to run once, on the thread of the next item to enter.
     *
     * @return the batch; empty if the queue was
     */
    public List<Item> take(int max, Runnable wake) {
        List<Item> batch;
        List<Waiter> granted;
        synchronized (this) {
            if (items.isEmpty()) {
                idleModel = wake;
                return List.of();
            }
            int n = Math.min(max, items.size());
            batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(items.poll());
            }
            granted = admitWaiters();
            if (granted == null) {
                activity.depth(items.size());
            }
        }
        settle(granted);
        return batch;
    }

    @Override
    public int discard(String runId) {
        int removed = 0;
        List<Waiter> granted;
        synchronized (this) {
            for (Iterator<Item> it = items.iterator(); it.hasNext();) {
                if (it.next().runId().equals(runId)) {
                    it.remove();
                    removed++;
                }
            }
            granted = admitWaiters();
            if (granted == null) {
                activity.depth(items.size());
            }
        }
        settle(granted);
        return removed;
    }

    @Override
    public String refusal(Item item) {
        return "the queue was full (capacity " + capacity() + ") when item " + item.seq() + " was loaded";
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public synchronized int depth() {
        return items.size();
    }

    /** Loaders waiting for room now. */
    public synchronized int waiting() {
        return waiters.size();
    }

    private Item add(Item item) {
        Item entered = item.enqueued(Clock.nowUs(), items.size() + 1);
        items.add(entered);
        activity.depth(items.size());
        return entered;
    }

    /** @return the waiters whose items entered now, or null if none; each to be told outside the lock */
    private List<Waiter> admitWaiters() {
        List<Waiter> granted = null;
        while (items.size() < capacity && !waiters.isEmpty()) {
            Waiter next = waiters.poll();
            if (next.settle()) { // else it was cancelled while it waited: the place goes to the one behind it
                next.entered = add(next.item);
                if (granted == null) {
                    granted = new ArrayList<>(2);
                }
                granted.add(next);
            }
        }
        return granted;
    }

    private void settle(List<Waiter> granted) {
        Runnable wake = null;
        if (granted != null) {
            synchronized (this) {
                wake = idleModel;
                idleModel = null;
            }
            granted.forEach(waiter -> waiter.settled.accept(waiter.entered));
        }
        if (wake != null) {
            wake.run();
        }
    }

    /**
     * A waiting loader; settled exactly once, by a place or by its cancellation. A callback rather than a Uni: a Uni
     * cancelled just as its place was granted would drop the place, and the queue would shrink for good.
     */
    private final class Waiter implements Cancellable {
        private final Item item;
        private final Consumer<Item> settled;
        private final AtomicBoolean done = new AtomicBoolean();
        private Item entered;

        Waiter(Item item, Consumer<Item> settled) {
            this.item = item;
            this.settled = settled;
        }

        boolean settle() {
            return done.compareAndSet(false, true);
        }

        @Override
        public void cancel() {
            if (settle()) {
                synchronized (LocalQueue.this) {
                    waiters.remove(this);
                }
            }
        }
    }

    /**
     * Changes the capacity live. A larger one admits waiting loaders at once, in the order they asked; a smaller one
     * removes no item: new items wait until the depth is below it.
     */
    public void resize(int capacity) {
        List<Waiter> granted;
        synchronized (this) {
            this.capacity = capacity;
            granted = admitWaiters();
        }
        settle(granted);
    }
}
