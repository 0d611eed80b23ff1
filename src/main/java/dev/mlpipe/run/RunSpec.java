package dev.mlpipe.run;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.mlpipe.problem.InvalidFieldException;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * What a run does. Every field is optional in a request; {@link #resolve} fills in the defaults and checks the rules
 * that span fields, so a run always holds a complete spec (with the seed it used, so it can be replayed).
 */
@Schema(description = "What a run does; every field is optional")
public record RunSpec(
        @Schema(description = "Seed of the PRNG (SplittableRandom); chosen and reported when absent. Not with items")
        Long seed,
        @Schema(description = "Smallest value drawn (default 1); less than max. Not with items")
        Integer min,
        @Schema(description = "Largest value drawn (default 100). Not with items")
        Integer max,
        @Schema(description = "The run ends right after this value is loaded and processed (default 67); within [min, max] for random draws")
        Integer sentinel,
        @Schema(description = "The loader stops after this many items (default 10000)", minimum = "1", maximum = "1000000")
        @Min(value = 1, message = "must be at least 1") @Max(value = MAX_ITEMS, message = "must be at most " + MAX_ITEMS) Integer maxItems,
        @Schema(description = "Pause of the loader after each item (default 0)", minimum = "0", maximum = "60000")
        @Min(value = 0, message = "must not be negative") @Max(value = MAX_DELAY_MS, message = "must be at most " + MAX_DELAY_MS) Integer loadIntervalMs,
        @Schema(description = "Simulated inference time per item (default mlpipe.model.inference-ms)", minimum = "0", maximum = "60000")
        @Min(value = 0, message = "must not be negative") @Max(value = MAX_DELAY_MS, message = "must be at most " + MAX_DELAY_MS) Integer inferenceMs,
        @Schema(description = "When the queue is full: block (wait, default), drop (drop and count), fail (end the run)")
        Overflow overflow,
        @Schema(description = "Values to load in order instead of random draws", minItems = 1, maxItems = MAX_LISTED_ITEMS)
        @Size(min = 1, max = MAX_LISTED_ITEMS, message = "must hold between 1 and " + MAX_LISTED_ITEMS + " values") List<@NotNull(message = "must not be null") Integer> items) {

    public static final int MAX_ITEMS = 1_000_000;
    /** A run keeps its items list for its lifetime: 100,000 ints fit the 2 MiB body limit and little memory. */
    public static final int MAX_LISTED_ITEMS = 100_000;
    public static final int MAX_DELAY_MS = 60_000;
    public static final int DEFAULT_MIN = 1;
    public static final int DEFAULT_MAX = 100;
    public static final int DEFAULT_SENTINEL = 67;
    public static final int DEFAULT_MAX_ITEMS = 10_000;

    /** Seeds we choose stay below 2^53 so that a browser shows them exactly and a run can be replayed from the page. */
    private static final long CHOSEN_SEED_BOUND = 1L << 53;

    public static RunSpec defaults() {
        return new RunSpec(null, null, null, null, null, null, null, null, null);
    }

    /** The complete spec a run executes: defaults filled in, a seed chosen when none was given. */
    public RunSpec resolve(int defaultInferenceMs) {
        boolean random = items == null;
        if (!random) {
            rejectWithItems("seed", seed);
            rejectWithItems("min", min);
            rejectWithItems("max", max);
        }
        int lo = min != null ? min : DEFAULT_MIN;
        int hi = max != null ? max : DEFAULT_MAX;
        int stop = sentinel != null ? sentinel : DEFAULT_SENTINEL;
        if (random && lo >= hi) {
            throw new InvalidFieldException("min", "must be less than max (min " + lo + ", max " + hi + ")");
        }
        if (random && (stop < lo || stop > hi)) {
            throw new InvalidFieldException("sentinel",
                    "must lie within [min, max] = [" + lo + ", " + hi + "] when no items are given, or the run could never end");
        }
        return new RunSpec(
                random ? (seed != null ? seed : ThreadLocalRandom.current().nextLong(CHOSEN_SEED_BOUND)) : null,
                random ? lo : null,
                random ? hi : null,
                stop,
                maxItems != null ? maxItems : DEFAULT_MAX_ITEMS,
                loadIntervalMs != null ? loadIntervalMs : 0,
                inferenceMs != null ? inferenceMs : defaultInferenceMs,
                overflow != null ? overflow : Overflow.BLOCK,
                items);
    }

    private static void rejectWithItems(String field, Object value) {
        if (value != null) {
            throw new InvalidFieldException(field, "applies to random draws only; leave it out when items are given");
        }
    }
}
