package dev.mlpipe.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.config.Priority;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The loaders that found a {@link LocalQueue} full, waiting for places without holding a thread: one lane per
 * priority, the first priority's first, in the order they asked within one. Its lanes and count are guarded by the
 * queue's lock: {@link #add}, {@link #count} and {@link #admit} are called holding it, a waiter's cancel takes it, and
 * {@link #tell} runs outside it.
 */
final class WaitingLoaders {

    private final Object lock;
    private final List<ArrayDeque<Waiter>> lanes = new ArrayList<>(Priority.LEVELS);
    private int count;

    /** @param lock the queue's */
    WaitingLoaders(Object lock) {
        this.lock = lock;
        for (int level = 0; level < Priority.LEVELS; level++) {
            lanes.add(new ArrayDeque<>());
        }
    }

    /**
     * Places that must be free before waiting loaders are admitted: an eighth of the capacity, at least one and at most
     * a loader's chunk. A loader admitted for one place wakes to find no room for a chunk and waits again at once: a
     * wake-up (and, on a busy host, the model's core lost to the loader) for every batch taken, where a chunk's worth
     * of places lets it enter a chunk per wake-up (BENCHMARKS.md, scenario 8). A queue of 15 places or fewer admits
     * at each free place; a larger one holds seven eighths of its items for the model while the loader comes back.
     */
    static int admitAt(int capacity) {
        return Math.max(1, Math.min(PipelineSettings.MAX_CHUNK, capacity / 8));
    }

    /** A loader waits with its item; {@code settled} hears the item as it entered, once, unless it is cancelled. */
    Cancellable add(Item item, Consumer<Item> settled) {
        Waiter waiter = new Waiter(item, settled);
        lanes.get(item.priority() - 1).add(waiter);
        count++;
        return waiter;
    }

    /** Loaders waiting now. */
    int count() {
        return count;
    }

    /**
     * Admits waiting loaders in order into at most {@code places} places, each item entering through {@code enter}
     * (which returns it as it entered); one cancelled while it waited gives its turn to the one behind it.
     *
     * @return the waiters admitted, first priority first, or null if none: {@link #tell} them outside the lock
     */
    List<Waiter> admit(int places, UnaryOperator<Item> enter) {
        List<Waiter> granted = null;
        for (int level = 0; level < lanes.size() && places > 0 && count > 0; level++) {
            ArrayDeque<Waiter> lane = lanes.get(level);
            while (places > 0 && !lane.isEmpty()) {
                Waiter next = lane.poll();
                count--;
                if (next.settle()) {
                    next.entered = enter.apply(next.item);
                    places--;
                    if (granted == null) {
                        granted = new ArrayList<>(2);
                    }
                    granted.add(next);
                }
            }
        }
        return granted;
    }

    /** Tells each admitted loader its item entered; outside the queue's lock. */
    static void tell(List<Waiter> granted) {
        granted.forEach(waiter -> waiter.settled.accept(waiter.entered));
    }

    /**
     * A waiting loader; settled exactly once, by a place or by its cancellation. A callback rather than a Uni: a Uni
     * cancelled just as its place was granted would drop the place, and the queue would shrink for good.
     */
    final class Waiter implements Cancellable {
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
                synchronized (lock) {
                    if (lanes.get(item.priority() - 1).remove(this)) {
                        count--;
                    }
                }
            }
        }
    }
}
