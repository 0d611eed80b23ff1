package dev.mlpipe.run;

import java.time.Duration;
import java.util.OptionalInt;

import dev.mlpipe.load.ValueSource;
import dev.mlpipe.queue.Overflow;

/**
 * What a run executes: a {@link RunRequest} with the defaults filled in, the rules across fields checked, and a seed
 * chosen when none was given, so a run can be replayed.
 *
 * @param model the name of the model it feeds
 * @param sentinel the value that ends the run; empty for a run of exactly maxItems values (or its whole list)
 * @param priority its items' level in the queue, 1 first
 * @param deadlineMs how long its items may wait in the queue before they expire unrun; 0 for as long as it takes
 * @param itemMs the model's time per item its worst case counts: the run's {@code inferenceMs} on a simulated model,
 *        the model's measured mean time per item on a tensor model
 */
public record RunSpec(String model, ValueSource source, OptionalInt sentinel, int maxItems, int loadIntervalMs, int inferenceMs,
        Overflow overflow, int priority, int deadlineMs, double itemMs) {

    /** A run on a model of the simulated backend, whose time per item is the run's {@code inferenceMs}. */
    public RunSpec(String model, ValueSource source, OptionalInt sentinel, int maxItems, int loadIntervalMs,
            int inferenceMs, Overflow overflow, int priority, int deadlineMs) {
        this(model, source, sentinel, maxItems, loadIntervalMs, inferenceMs, overflow, priority, deadlineMs,
                inferenceMs);
    }

    /** A run on the simulated model. */
    public RunSpec(ValueSource source, OptionalInt sentinel, int maxItems, int loadIntervalMs, int inferenceMs,
            Overflow overflow, int priority, int deadlineMs) {
        this("simulated", source, sentinel, maxItems, loadIntervalMs, inferenceMs, overflow, priority, deadlineMs);
    }

    /** Items the run may load at most: its maxItems, or fewer when it lists them. */
    public long mostItems() {
        return source instanceof ValueSource.ListedItems listed ? Math.min(listed.count(), maxItems)
                : source instanceof ValueSource.ListedRows rows ? Math.min(rows.count(), maxItems) : maxItems;
    }

    /**
     * The longest the run may last: every item it may load, each loaded and inferred after the one before
     * ({@code loadIntervalMs + itemMs} an item).
     */
    public Duration worstCase() {
        return Duration.ofNanos(Math.round(mostItems() * (loadIntervalMs + itemMs) * 1e6));
    }
}
