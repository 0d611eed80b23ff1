package dev.mlpipe.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

import dev.mlpipe.observe.Clock;

/**
 * How a batch forms, in one process ({@link LocalIntake}, items from the model's queue) and on a worker (messages of
 * one item or several, as the broker sent them) alike: a free model slot takes what is waiting, up to
 * {@code max-batch-size} items. With no {@code batch-delay}, or once it holds that many, the batch starts at once with
 * what it took. With a delay, a batch that holds fewer keeps its slot and takes what comes until it holds that many or
 * has waited that long since its first was taken. Whoever forms it holds it alone (one thread at a time).
 *
 * @param <T> what a batch is made of: items, or messages of items
 */
public final class FormingBatch<T> {

    private final List<T> taken;
    private final int max;
    private final ToIntFunction<? super T> items;
    private final long deadlineNanos;
    private final long[] takenUs;
    private int weight;

    private FormingBatch(List<T> first, int weight, int max, ToIntFunction<? super T> items, long delayNanos,
            long nowNanos) {
        this.taken = new ArrayList<>(max);
        this.max = max;
        this.items = items;
        this.deadlineNanos = nowNanos + delayNanos;
        this.takenUs = new long[max];
        took(first, weight, Clock.usOf(nowNanos));
    }

    /**
     * What a free slot took starts now, or waits for more.
     *
     * @param took what the slot took: 1 to {@code max} of them, whose items number at least 1 each
     * @param items how many items one of them holds
     * @return null if it starts now (no delay, or {@code max} items taken: a batch of one is full with its first);
     *         otherwise the batch forming, which the caller asks again on each arrival and once {@code delayNanos}
     *         have passed
     */
    public static <T> FormingBatch<T> of(List<T> took, int max, ToIntFunction<? super T> items, long delayNanos,
            long nowNanos) {
        if (delayNanos <= 0) {
            return null;
        }
        int weight = weigh(took, items);
        return weight < max ? new FormingBatch<>(took, weight, max, items, delayNanos, nowNanos) : null;
    }

    /**
     * Takes what has come since, until it holds {@code max} items.
     *
     * @param take what is waiting, holding at least the items asked for where there are (the last may hold more);
     *             empty when nothing is
     * @return whether the batch starts now: it holds {@code max} items, or has waited its delay
     */
    public boolean filled(IntFunction<List<T>> take) {
        while (weight < max) {
            List<T> more = take.apply(max - weight);
            if (more.isEmpty()) {
                break;
            }
            took(more, weigh(more, items), Clock.nowUs());
        }
        return weight >= max || System.nanoTime() - deadlineNanos >= 0;
    }

    /** What it holds, in the order taken. */
    public List<T> taken() {
        return taken;
    }

    /** When each was taken ({@link Clock}'s microseconds), in the order taken; as long as {@code max}. */
    public long[] takenUs() {
        return takenUs;
    }

    private void took(List<T> more, int moreWeight, long atUs) {
        int from = taken.size();
        taken.addAll(more);
        weight += moreWeight;
        Arrays.fill(takenUs, from, taken.size(), atUs);
    }

    private static <T> int weigh(List<T> list, ToIntFunction<? super T> items) {
        int weight = 0;
        for (T one : list) {
            weight += items.applyAsInt(one);
        }
        return weight;
    }
}
