package dev.mlpipe.run;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

import dev.mlpipe.config.Priority;
import dev.mlpipe.load.ValueSource;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.Overflow;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * What a client asks a run to do, as the body of {@code POST /api/runs}: every field optional, each checked by its own
 * rule (Bean Validation). {@link #resolve} fills in the defaults and checks the rules that span fields.
 *
 * @param sentinel null when left out (the default, 67), empty when given as JSON null (no sentinel)
 */
@Schema(name = "RunSpec", description = "What a run does; every field is optional")
@JsonInclude(JsonInclude.Include.NON_NULL) // written back (in a sweep's spec) as given: a null sentinel stays null
public record RunRequest(
        @Schema(description = "Seed of the PRNG (SplittableRandom); chosen and reported when absent. Not with items")
        Long seed,
        @Schema(description = "Smallest value drawn (default 1); less than max. Not with items")
        Integer min,
        @Schema(description = "Largest value drawn (default 100). Not with items")
        Integer max,
        @Schema(description = "The run ends right after this value is loaded and processed (default 67), or after "
                + "maxItems values if it never comes (one outside [min, max] is never drawn); null for a run of "
                + "exactly maxItems values (or its whole list)",
                implementation = Integer.class, nullable = true)
        @JsonDeserialize(using = SentinelReader.class) Optional<Integer> sentinel,
        @Schema(description = "The loader stops after this many items (default 10000); the run's worst case, "
                + "items x (loadIntervalMs + inferenceMs), must stay within mlpipe.runs.max-duration (default 24h)",
                minimum = "1", maximum = "1000000")
        @Min(value = 1, message = "must be at least 1") @Max(value = MAX_ITEMS, message = "must be at most " + MAX_ITEMS) Integer maxItems,
        @Schema(description = "Pause of the loader after each item (default 0)", minimum = "0", maximum = "60000")
        @Min(value = 0, message = "must not be negative") @Max(value = MAX_DELAY_MS, message = "must be at most " + MAX_DELAY_MS) Integer loadIntervalMs,
        @Schema(description = "Simulated inference time per item (default mlpipe.model.inference-ms)", minimum = "0", maximum = "60000")
        @Min(value = 0, message = "must not be negative") @Max(value = MAX_DELAY_MS, message = "must be at most " + MAX_DELAY_MS) Integer inferenceMs,
        @Schema(description = "When the queue is full: block (wait, default), drop (drop and count), fail (end the run)")
        Overflow overflow,
        @Schema(description = "Values to load in order instead of random draws", minItems = 1, maxItems = MAX_LISTED_ITEMS)
        @Size(min = 1, max = MAX_LISTED_ITEMS, message = "must hold between 1 and " + MAX_LISTED_ITEMS + " values") List<@NotNull(message = "must not be null") Integer> items,
        @Schema(description = "Level of the run's items in the queue (default " + Priority.DEFAULT + "): the model takes "
                + "the oldest item of the first level that has one, and a loader of a first level waiting for room "
                + "goes before later ones", minimum = "1", maximum = "" + Priority.LEVELS)
        @Min(value = 1, message = "must be at least 1 (the first level)") @Max(value = Priority.LEVELS, message = "must be at most " + Priority.LEVELS + " (the last level)") Integer priority,
        @Schema(description = "An item that waits in the queue longer expires: it is not run, is counted expired and "
                + "streamed as an expired event (default: none)", minimum = "1", maximum = "" + Item.MAX_DEADLINE_MS)
        @Min(value = 1, message = "must be at least 1; leave it out for no deadline") @Max(value = Item.MAX_DEADLINE_MS, message = "must be at most " + Item.MAX_DEADLINE_MS) Integer deadlineMs) {

    public static final int MAX_ITEMS = 1_000_000;
    /** 100,000 values fit the 2 MiB body limit; a run keeps them as an int[] until they are loaded. */
    public static final int MAX_LISTED_ITEMS = 100_000;
    /** The bound of both delays; a worker refuses an item beyond it (Item.flaw). */
    public static final int MAX_DELAY_MS = Item.MAX_INFERENCE_MS;
    public static final int DEFAULT_MIN = 1;
    public static final int DEFAULT_MAX = 100;
    public static final int DEFAULT_SENTINEL = 67;
    public static final int DEFAULT_MAX_ITEMS = 10_000;

    /** Seeds we choose stay below 2^53 so that a browser shows them exactly and a run can be replayed from the page. */
    private static final long CHOSEN_SEED_BOUND = 1L << 53;

    public static RunRequest defaults() {
        return new RunRequest(null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * A request body as both {@code POST /api/runs} routes read it: empty, or JSON {@code null}, is the default spec;
     * otherwise each field is checked by its rule.
     */
    public static RunRequest read(byte[] body, ObjectMapper mapper, Validator validator) throws IOException {
        if (body.length == 0) {
            return defaults();
        }
        RunRequest request = mapper.readValue(body, RunRequest.class);
        if (request == null) {
            return defaults();
        }
        var violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return request;
    }

    /**
     * The complete spec a run executes: defaults filled in, a seed chosen when none was given.
     *
     * @param maxDuration the longest a run may last at worst ({@code mlpipe.runs.max-duration})
     * @throws RunRefused.InvalidField when a rule across fields is broken
     */
    public RunSpec resolve(int defaultInferenceMs, Duration maxDuration) {
        OptionalInt stop = sentinel == null ? OptionalInt.of(DEFAULT_SENTINEL)
                : sentinel.map(OptionalInt::of).orElse(OptionalInt.empty());
        ValueSource source;
        if (items != null) {
            rejectWithItems("seed", seed);
            rejectWithItems("min", min);
            rejectWithItems("max", max);
            source = new ValueSource.ListedItems(items.stream().mapToInt(Integer::intValue).toArray());
        } else {
            int lo = min != null ? min : DEFAULT_MIN;
            int hi = max != null ? max : DEFAULT_MAX;
            if (lo >= hi) {
                throw new RunRefused.InvalidField("min", "must be less than max (min " + lo + ", max " + hi + ")");
            }
            source = new ValueSource.RandomDraws(seed != null ? seed : ThreadLocalRandom.current().nextLong(CHOSEN_SEED_BOUND),
                    lo, hi);
        }
        RunSpec spec = new RunSpec(source, stop, maxItems != null ? maxItems : DEFAULT_MAX_ITEMS,
                loadIntervalMs != null ? loadIntervalMs : 0, inferenceMs != null ? inferenceMs : defaultInferenceMs,
                overflow != null ? overflow : Overflow.BLOCK, priority != null ? priority : Priority.DEFAULT,
                deadlineMs != null ? deadlineMs : 0);
        long most = items != null ? Math.min(items.size(), spec.maxItems()) : spec.maxItems();
        long worstMs = spec.worstCase().toMillis();
        if (worstMs > maxDuration.toMillis()) {
            throw new RunRefused.InvalidField(items != null ? "items" : "maxItems", String.format(Locale.ROOT,
                    "with loadIntervalMs and inferenceMs may last %.1f h at worst (%d x (%d + %d) ms), longer than "
                            + "mlpipe.runs.max-duration (%.1f h); ask for fewer items or shorter delays",
                    worstMs / 3_600_000.0, most, spec.loadIntervalMs(), spec.inferenceMs(),
                    maxDuration.toMillis() / 3_600_000.0));
        }
        return spec;
    }

    /**
     * Tells a sentinel left out (null: the default) from one given as JSON null (empty: none), which Jackson's own
     * Optional reading does not: it reads both as empty.
     */
    static final class SentinelReader extends StdDeserializer<Optional<Integer>> {

        SentinelReader() {
            super(Optional.class);
        }

        @Override
        public Optional<Integer> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return Optional.of(context.readValue(parser, Integer.class));
        }

        @Override
        public Optional<Integer> getNullValue(DeserializationContext context) {
            return Optional.empty();
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
        }
    }

    private static void rejectWithItems(String field, Object value) {
        if (value != null) {
            throw new RunRefused.InvalidField(field, "applies to random draws only; leave it out when items are given");
        }
    }
}
