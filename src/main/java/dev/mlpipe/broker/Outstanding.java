package dev.mlpipe.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.queue.Item;

/**
 * A {@link BrokerQueue}'s items that took a place and are not back yet, by run and seq: what the model's capacity
 * bounds, and what a recovered connection publishes again. Each run's depth counts its own items here (in the broker's
 * queue, on their way, or at a worker). Changes to one run's items are made under that run's entry's lock.
 */
final class Outstanding {

    private final Map<String, Map<Long, Item>> byRun = new ConcurrentHashMap<>();
    /** The items held, of all runs. */
    private final AtomicInteger places = new AtomicInteger();
    private final PipelineActivity activity;

    Outstanding(PipelineActivity activity) {
        this.activity = activity;
    }

    /** Items held now, of all runs. */
    int places() {
        return places.get();
    }

    boolean holds(String runId, long seq) {
        Map<Long, Item> items = byRun.get(runId);
        return items != null && items.containsKey(seq);
    }

    /** Holds the item (again, as it entered last, if it was held already: its place stays one place). */
    void hold(Item item) {
        boolean[] added = new boolean[1];
        byRun.compute(item.runId(), (run, items) -> {
            Map<Long, Item> of = items == null ? new ConcurrentHashMap<>() : items;
            added[0] = of.put(item.seq(), item) == null;
            return of;
        });
        if (added[0]) {
            places.incrementAndGet();
            activity.entered(item.runId(), 1);
        }
    }

    /** @return whether it was held (and so, no longer is: the run's own depth falls by one) */
    boolean forget(String runId, long seq) {
        boolean[] was = new boolean[1];
        byRun.computeIfPresent(runId, (run, items) -> {
            was[0] = items.remove(seq) != null;
            if (was[0]) {
                // told before the place is free: an item that takes it then enters after this one left, so the run's
                // own depth is never seen above the capacity
                activity.left(runId, 1);
                places.decrementAndGet();
            }
            return items.isEmpty() ? null : items;
        });
        return was[0];
    }

    /** Forgets every item of a run that ended. */
    void discard(String runId) {
        byRun.computeIfPresent(runId, (run, items) -> {
            places.addAndGet(-items.size());
            return null;
        });
    }

    void forEach(Consumer<Item> action) {
        byRun.values().forEach(items -> items.values().forEach(action));
    }
}
