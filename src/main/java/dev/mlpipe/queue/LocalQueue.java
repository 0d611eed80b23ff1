package dev.mlpipe.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.mlpipe.config.Priority;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The queue in one process: at most {@code capacity} items (changed live by {@link #resize}) in one lane per priority,
 * oldest first within a lane. The model takes items in batches ({@link #take}) from the first lane that has any and,
 * finding the queue empty, leaves a wake-up call. A loader that finds it full waits its turn, without holding a thread
 * ({@link WaitingLoaders}): waiting loaders of a first priority before later ones, in the order they asked within one.
 * Once a chunk's worth of places is free ({@link WaitingLoaders#admitAt}), they go straight to the waiting loaders, and
 * nobody overtakes them meanwhile. An item whose run set {@code deadlineMs} and that waits longer leaves unrun, told to
 * the runs as {@link Expired}: a sweep runs when the earliest such deadline comes, and the model never takes one that
 * has passed. One lock guards it all, taken once per item entered (or per chunk a loader enters at once:
 * {@link #enterNow}) and once per batch taken.
 * <p>
 * A structure rather than a channel's bounded buffer: a waiting loader must get the next free place in priority and
 * FIFO order and the model takes batches, where an emitter with a full buffer throws; and a message per item cost more
 * than the rest of the pipeline together (BENCHMARKS.md, scenario 1). With a broker, the broker's queue is the queue
 * instead.
 */
@Singleton // on the path of every item: no client proxy
@Typed(LocalQueue.class) // an ItemQueue only through broker.Links, which chooses one per mode
public class LocalQueue implements ItemQueue {

    private final PipelineActivity activity;
    private final Consumer<Expired> expired;
    // guarded by this: one lane of items per priority, the first level's first, and the loaders waiting for places
    private final List<ArrayDeque<Item>> lanes = new ArrayList<>(Priority.LEVELS);
    private final WaitingLoaders waiting = new WaitingLoaders(this);
    private final Leaving leaving = new Leaving();
    private int size;
    private volatile int capacity; // written under this; read without it only to be shown
    private Runnable idleModel;
    /** Items queued with a deadline: only with some does a take read the clock. */
    private int timed;
    /** When the next sweep for expired items is due; never when none is. */
    private long sweepAtUs = Long.MAX_VALUE;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("mlpipe-expiry", true));

    @Inject
    LocalQueue(PipelineActivity activity, Event<Expired> expired) {
        this(activity.capacity(), activity, expired::fire);
    }

    /**
     * @param activity told every change of the depth
     * @param expired told of each item that expired, outside the lock, on the thread that found it
     */
    public LocalQueue(int capacity, PipelineActivity activity, Consumer<Expired> expired) {
        this.capacity = capacity;
        this.activity = activity;
        this.expired = expired;
        for (int level = 0; level < Priority.LEVELS; level++) {
            lanes.add(new ArrayDeque<>());
        }
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
    }

    @Override
    public Cancellable enter(Item item, boolean wait, Consumer<Item> settled) {
        Item entered = null;
        Runnable wake = null;
        synchronized (this) {
            if (freePlaces() > 0) {
                entered = add(item);
                wake = idleModel;
                idleModel = null;
            } else if (wait) {
                return waiting.add(item, settled);
            }
        }
        settled.accept(entered);
        if (wake != null) {
            wake.run();
        }
        return NOTHING_TO_CANCEL;
    }

    /**
     * Puts in as many of {@code items[from, to)} as there is room for now, in their order, under one lock and with
     * one reading of the clock; none while loaders wait for room (they go first). Each item that entered takes its
     * place in the array as it entered.
     */
    @Override
    public int enterNow(Item[] items, int from, int to) {
        int n;
        Runnable wake;
        synchronized (this) {
            n = Math.min(to - from, freePlaces());
            if (n <= 0) {
                return 0;
            }
            long now = Clock.nowUs();
            for (int i = from; i < from + n; i++) {
                items[i] = enqueue(items[i], now);
            }
            Item last = items[from + n - 1]; // a loader's chunk: one run's, of one priority
            activity.entered(size, last.priority(), lanes.get(last.priority() - 1).size(), last.runId(), n);
            wake = idleModel;
            idleModel = null;
        }
        if (wake != null) {
            wake.run();
        }
        return n;
    }

    @Override
    public synchronized int room() {
        return freePlaces();
    }

    /** Under the lock: places a newcomer may take now, none while loaders wait (they go first). */
    private int freePlaces() {
        return waiting.count() > 0 ? 0 : Math.max(0, capacity - size);
    }

    /**
     * Takes up to {@code max} items out: the first lane's oldest first, then the next lane's. The places they free go
     * to waiting loaders once a chunk's worth is free ({@link WaitingLoaders#admitAt}): their items enter now, and
     * each loader hears of it on this thread. Finding the queue empty, it leaves {@code wake} to run once, on the
     * thread of the next item to enter.
     *
     * @return the batch; empty if the queue was (or held only items whose deadline had passed)
     */
    public List<Item> take(int max, Runnable wake) {
        List<Item> batch;
        List<Expired> gone = null;
        List<WaitingLoaders.Waiter> granted;
        synchronized (this) {
            if (size == 0) {
                idleModel = wake;
                return List.of();
            }
            long now = timed > 0 ? Clock.nowUs() : 0;
            batch = new ArrayList<>(Math.min(max, size));
            for (int level = 0; level < lanes.size() && batch.size() < max && size > 0; level++) {
                ArrayDeque<Item> lane = lanes.get(level);
                int before = lane.size();
                for (Item item; batch.size() < max && (item = lane.poll()) != null;) {
                    size--;
                    leaving.add(item);
                    if (item.deadlineMs() > 0) {
                        timed--;
                        if (now >= item.expiresUs()) {
                            gone = expire(gone, item, now);
                            continue;
                        }
                    }
                    batch.add(item);
                }
                if (lane.size() != before) {
                    leaving.tell(level + 1, lane.size());
                }
            }
            if (batch.isEmpty()) {
                idleModel = wake;
            }
            granted = admitWaiters();
        }
        tell(gone);
        settle(granted);
        return batch;
    }

    @Override
    public int discard(String runId) {
        int removed = 0;
        List<WaitingLoaders.Waiter> granted;
        synchronized (this) {
            for (int level = 0; level < lanes.size(); level++) {
                ArrayDeque<Item> lane = lanes.get(level);
                int before = lane.size();
                for (Iterator<Item> it = lane.iterator(); it.hasNext();) {
                    Item item = it.next();
                    if (item.runId().equals(runId)) {
                        it.remove();
                        removed(item);
                    }
                }
                removed += before - lane.size();
                activity.left(runId, before - lane.size(), size, level + 1, lane.size());
            }
            granted = admitWaiters();
        }
        settle(granted);
        return removed;
    }

    @Override
    public synchronized String refusal(Item item) {
        // a place freed below a chunk's worth is held for the loaders that wait (admitAt)
        String why = size >= capacity ? "the queue was full" : "the queue's free places were held for waiting loaders";
        return why + " (capacity " + capacity + ") when item " + item.seq() + " was loaded";
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public synchronized int depth() {
        return size;
    }

    /** Loaders waiting for room now. */
    public synchronized int waiting() {
        return waiting.count();
    }

    private Item add(Item item) {
        Item entered = enqueue(item, Clock.nowUs());
        activity.entered(size, item.priority(), lanes.get(item.priority() - 1).size(), item.runId(), 1);
        return entered;
    }

    /**
     * Items leaving a lane under the lock, told to the activity by run, before or with the lane's new depth: a batch
     * or a sweep holds runs of one run's items, each told at once, the last one with the depth (one call for a lane
     * of one run's items).
     */
    private final class Leaving {
        private String runId;
        private int items;

        void add(Item item) {
            if (!item.runId().equals(runId)) {
                if (items > 0) {
                    activity.left(runId, items);
                }
                runId = item.runId();
                items = 0;
            }
            items++;
        }

        /** The lane of this priority now holds {@code laneItems}, the queue {@code size}. */
        void tell(int priority, int laneItems) {
            activity.left(runId, items, size, priority, laneItems);
            runId = null;
            items = 0;
        }
    }

    /** Under the lock: the item in its lane; the activity is told by the caller. */
    private Item enqueue(Item item, long nowUs) {
        Item entered = item.enqueued(nowUs, size + 1);
        lanes.get(item.priority() - 1).add(entered);
        size++;
        if (entered.deadlineMs() > 0) {
            timed++;
            sweepAt(entered.expiresUs());
        }
        return entered;
    }

    private void removed(Item item) {
        size--;
        if (item.deadlineMs() > 0) {
            timed--;
        }
    }

    /** Under the lock: makes sure a sweep runs by {@code atUs}. A sweep scheduled later runs all the same, finding less. */
    private void sweepAt(long atUs) {
        if (atUs < sweepAtUs) {
            sweepAtUs = atUs;
            sweeper.schedule(this::sweep, Math.max(0, atUs - Clock.nowUs()), TimeUnit.MICROSECONDS);
        }
    }

    /** Takes out every item whose deadline has passed, wherever it is in the queue, and schedules the next sweep. */
    private void sweep() {
        List<Expired> gone = null;
        List<WaitingLoaders.Waiter> granted;
        synchronized (this) {
            long now = Clock.nowUs();
            if (now < sweepAtUs) {
                return; // an earlier sweep found the next deadline later than this one was scheduled for
            }
            long next = Long.MAX_VALUE;
            for (int level = 0; level < lanes.size() && timed > 0; level++) {
                ArrayDeque<Item> lane = lanes.get(level);
                int before = lane.size();
                for (Iterator<Item> it = lane.iterator(); it.hasNext();) {
                    Item item = it.next();
                    if (now >= item.expiresUs()) {
                        it.remove();
                        removed(item);
                        leaving.add(item);
                        gone = expire(gone, item, now);
                    } else if (item.deadlineMs() > 0) {
                        next = Math.min(next, item.expiresUs());
                    }
                }
                if (lane.size() != before) {
                    leaving.tell(level + 1, lane.size());
                }
            }
            sweepAtUs = Long.MAX_VALUE;
            if (next != Long.MAX_VALUE) {
                sweepAt(next);
            }
            granted = admitWaiters();
        }
        tell(gone);
        settle(granted);
    }

    private static List<Expired> expire(List<Expired> gone, Item item, long atUs) {
        List<Expired> list = gone != null ? gone : new ArrayList<>();
        list.add(new Expired(item, atUs));
        return list;
    }

    private void tell(List<Expired> gone) {
        if (gone != null) {
            gone.forEach(expired);
        }
    }

    /** Once {@link WaitingLoaders#admitAt} places are free, admits waiting loaders in order while there is room. */
    private List<WaitingLoaders.Waiter> admitWaiters() {
        return admitWaiters(WaitingLoaders.admitAt(capacity));
    }

    /** @return the waiters whose items entered now, or null if none; each told outside the lock ({@link #settle}) */
    private List<WaitingLoaders.Waiter> admitWaiters(int freeAtLeast) {
        int free = capacity - size;
        return waiting.count() == 0 || free < freeAtLeast ? null : waiting.admit(free, this::add);
    }

    private void settle(List<WaitingLoaders.Waiter> granted) {
        Runnable wake = null;
        if (granted != null) {
            synchronized (this) {
                wake = idleModel;
                idleModel = null;
            }
            WaitingLoaders.tell(granted);
        }
        if (wake != null) {
            wake.run();
        }
    }

    /**
     * Changes the capacity live. A larger one admits waiting loaders at once, whatever places it adds (room asked for
     * is not held back for a chunk); a smaller one removes no item: new items wait until the depth is below it.
     */
    public void resize(int capacity) {
        List<WaitingLoaders.Waiter> granted;
        synchronized (this) {
            boolean larger = capacity > this.capacity;
            this.capacity = capacity;
            granted = larger ? admitWaiters(1) : admitWaiters();
        }
        settle(granted);
    }
}
