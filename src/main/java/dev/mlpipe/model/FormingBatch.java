package dev.mlpipe.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import dev.mlpipe.observe.Clock;

/**
 * How a batch forms, in one process ({@link LocalIntake}, items from the model's queue) and on a worker (messages the
 * broker sent) alike: a free model slot takes what is waiting, up to {@code max-batch-size}. With no
 * {@code batch-delay}, or once it is full, the batch starts at once with what it took. With a delay, a batch that is
 * not full holds its slot and takes what comes until it is full or has waited that long since its first was taken.
 * Whoever forms it holds it alone (one thread at a time).
 *
 * @param <T> what a batch is made of: items, or messages of items
 */
public final class FormingBatch<T> {

    private final List<T> taken;
    private final int max;
    private final long deadlineNanos;
    private final long[] takenUs;

    private FormingBatch(List<T> first, int max, long delayNanos, long nowNanos) {
        this.taken = new ArrayList<>(max);
        this.max = max;
        this.deadlineNanos = nowNanos + delayNanos;
        this.takenUs = new long[max];
        took(first, Clock.usOf(nowNanos));
    }

    /**
     * What a free slot took starts now, or waits for more.
     *
     * @param took what the slot took, 1 to {@code max}
     * @return null if it starts now (no delay, or full); otherwise the batch forming, which the caller asks again on
     *         each arrival and once {@code delayNanos} have passed
     */
    public static <T> FormingBatch<T> of(List<T> took, int max, long delayNanos, long nowNanos) {
        return delayNanos > 0 && took.size() < max ? new FormingBatch<>(took, max, delayNanos, nowNanos) : null;
    }

    /**
     * Takes what has come since, up to the maximum.
     *
     * @param take what is waiting, at most the count asked for; empty when nothing is
     * @return whether the batch starts now: full, or waited its delay
     */
    public boolean filled(IntFunction<List<T>> take) {
        while (taken.size() < max) {
            List<T> more = take.apply(max - taken.size());
            if (more.isEmpty()) {
                break;
            }
            took(more, Clock.nowUs());
        }
        return taken.size() == max || System.nanoTime() - deadlineNanos >= 0;
    }

    /** What it holds, in the order taken. */
    public List<T> taken() {
        return taken;
    }

    /** When each was taken ({@link Clock}'s microseconds), in the order taken; as long as the maximum. */
    public long[] takenUs() {
        return takenUs;
    }

    private void took(List<T> more, long atUs) {
        int from = taken.size();
        taken.addAll(more);
        Arrays.fill(takenUs, from, taken.size(), atUs);
    }
}
