package dev.mlpipe.run;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

import dev.mlpipe.config.Priority;
import dev.mlpipe.load.DatasetRefused;
import dev.mlpipe.load.Datasets;
import dev.mlpipe.load.ValueSource;
import dev.mlpipe.model.LoadedModel;
import dev.mlpipe.model.Models;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.Overflow;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
        @Schema(description = "Simulated inference time per item (default mlpipe.models.simulated.inference-ms)", minimum = "0", maximum = "60000")
        @Min(value = 0, message = "must not be negative") @Max(value = MAX_DELAY_MS, message = "must be at most " + MAX_DELAY_MS) Integer inferenceMs,
        @Schema(description = "When the queue is full: block (wait, default), drop (drop and count), fail (end the run)")
        Overflow overflow,
        @Schema(description = "Values to load in order instead of random draws: numbers for the simulated model, "
                + "for a tensor model arrays of its input's length", minItems = 1, maxItems = MAX_LISTED_ITEMS)
        @Size(min = 1, max = MAX_LISTED_ITEMS, message = "must hold between 1 and " + MAX_LISTED_ITEMS + " values") List<@NotNull(message = "must not be null") JsonNode> items,
        @Schema(description = "Level of the run's items in the queue (default " + Priority.DEFAULT + "): the model takes "
                + "the oldest item of the first level that has one, and a loader of a first level waiting for room "
                + "goes before later ones", minimum = "1", maximum = "" + Priority.LEVELS)
        @Min(value = 1, message = "must be at least 1 (the first level)") @Max(value = Priority.LEVELS, message = "must be at most " + Priority.LEVELS + " (the last level)") Integer priority,
        @Schema(description = "An item that waits in the queue longer expires: it is not run, is counted expired and "
                + "streamed as an expired event (default: none)", minimum = "1", maximum = "" + Item.MAX_DEADLINE_MS)
        @Min(value = 1, message = "must be at least 1; leave it out for no deadline") @Max(value = Item.MAX_DEADLINE_MS, message = "must be at most " + Item.MAX_DEADLINE_MS) Integer deadlineMs,
        @Schema(description = "The model the run feeds (GET /api/models; default simulated)")
        @Size(max = 64, message = "must be a model's name, at most 64 characters") String model,
        @Schema(description = "A dataset to feed a tensor model, read as it is loaded (the shipped digits, or a "
                + "<name>.csv in mlpipe.datasets.dir); the run ends at its end. Not with items, seed, min or max")
        String dataset,
        @Schema(description = "Passes over the dataset (default 1)", minimum = "1", maximum = "" + MAX_REPEAT)
        @Min(value = 1, message = "must be at least 1") @Max(value = MAX_REPEAT, message = "must be at most " + MAX_REPEAT) Integer repeat,
        @Schema(description = "A name to tell the run by, shown with it (default: none)", maxLength = MAX_NAME)
        @Size(max = MAX_NAME, message = "must be at most " + MAX_NAME + " characters") String name,
        @Schema(description = "Labels to find the run by (GET /api/runs?tag=): at most " + MAX_TAGS + ", each "
                + TAG_RULE_TEXT, maxItems = MAX_TAGS)
        @Size(max = MAX_TAGS, message = "must hold at most " + MAX_TAGS + " tags")
        List<@NotNull(message = "must not be null") @Pattern(regexp = TAG_PATTERN, message = "must be " + TAG_RULE_TEXT)
        String> tags) {

    public static final int MAX_ITEMS = 1_000_000;
    /** 100,000 values fit the 2 MiB body limit; a run keeps them as an int[] until they are loaded. */
    public static final int MAX_LISTED_ITEMS = 100_000;
    /** The bound of both delays; a worker refuses an item beyond it (Item.flaw). */
    public static final int MAX_DELAY_MS = Item.MAX_INFERENCE_MS;
    public static final int DEFAULT_MIN = 1;
    public static final int DEFAULT_MAX = 100;
    public static final int DEFAULT_SENTINEL = 67;
    public static final int DEFAULT_MAX_ITEMS = 10_000;
    public static final int MAX_REPEAT = 1000;
    public static final int MAX_NAME = 80;
    public static final int MAX_TAGS = 10;
    public static final String TAG_PATTERN = "[a-z0-9-]{1,32}";
    private static final String TAG_RULE_TEXT = "1 to 32 characters of a-z, 0-9 and - ([a-z0-9-]{1,32})";

    /** Seeds we choose stay below 2^53 so that a browser shows them exactly and a run can be replayed from the page. */
    private static final long CHOSEN_SEED_BOUND = 1L << 53;

    public static RunRequest defaults() {
        return new RunRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
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
     * The spec of a run on a model of the simulated backend (its {@code model}, by default {@code simulated}), whose
     * time per item is {@code defaultInferenceMs} unless the run sets {@code inferenceMs}.
     */
    public RunSpec resolve(int defaultInferenceMs, Duration maxDuration) {
        if (dataset != null) {
            throw new RunRefused.InvalidField("dataset", "applies to tensor models only; model "
                    + (model != null ? model : Models.SIMULATED) + " takes numbers");
        }
        if (repeat != null) {
            throw new RunRefused.InvalidField("repeat", "applies to a dataset only");
        }
        return numbers(model != null ? model : Models.SIMULATED, defaultInferenceMs, maxDuration);
    }

    /** The same request on {@code name}'s model (a sweep's runs). */
    public RunRequest withModel(String modelName) {
        return new RunRequest(seed, min, max, sentinel, maxItems, loadIntervalMs, inferenceMs, overflow, items,
                priority, deadlineMs, modelName, dataset, repeat, name, tags);
    }

    /**
     * The complete spec a run on {@code on} executes: defaults filled in, a seed chosen when none was given.
     *
     * @param maxDuration the longest a run may last at worst ({@code mlpipe.runs.max-duration})
     * @throws RunRefused.InvalidField when a rule across fields is broken
     */
    public RunSpec resolve(LoadedModel on, Datasets datasets, Duration maxDuration) {
        if (!on.isTensor()) {
            return resolve(on.inferenceMs(), maxDuration);
        }
        int length = on.tensor().orElseThrow().info().rowLength();
        rejectForTensors("sentinel", sentinel == null ? null : sentinel.orElse(null));
        rejectForTensors("inferenceMs", inferenceMs);
        ValueSource source;
        if (dataset != null) {
            rejectWith("dataset", "items", items);
            rejectWith("dataset", "seed", seed);
            rejectWith("dataset", "min", min);
            rejectWith("dataset", "max", max);
            try {
                source = new ValueSource.DatasetPasses(datasets.find(dataset), repeat != null ? repeat : 1);
            } catch (DatasetRefused refused) {
                throw new RunRefused.InvalidField("dataset", refused.rule());
            }
        } else if (repeat != null) {
            throw new RunRefused.InvalidField("repeat", "applies to a dataset only");
        } else if (items != null) {
            rejectWithItems("seed", seed);
            rejectWithItems("min", min);
            rejectWithItems("max", max);
            source = new ValueSource.ListedRows(rows(length));
        } else {
            double lo = min != null ? min : on.randomMin();
            double hi = max != null ? max : on.randomMax();
            if (lo > hi) {
                throw new RunRefused.InvalidField("min", "must not be more than max (min " + lo + ", max " + hi + ")");
            }
            source = new ValueSource.RandomRows(seed != null ? seed : ThreadLocalRandom.current().nextLong(CHOSEN_SEED_BOUND),
                    length, lo, hi);
        }
        return checked(new RunSpec(on.name(), source, OptionalInt.empty(),
                maxItems != null ? maxItems : dataset != null ? MAX_ITEMS : DEFAULT_MAX_ITEMS,
                loadIntervalMs != null ? loadIntervalMs : 0, 0, overflow != null ? overflow : Overflow.BLOCK,
                priority != null ? priority : Priority.DEFAULT, deadlineMs != null ? deadlineMs : 0, on.meanItemMs()),
                maxDuration);
    }

    private RunSpec numbers(String modelName, int defaultInferenceMs, Duration maxDuration) {
        OptionalInt stop = sentinel == null ? OptionalInt.of(DEFAULT_SENTINEL)
                : sentinel.map(OptionalInt::of).orElse(OptionalInt.empty());
        ValueSource source;
        if (items != null) {
            rejectWithItems("seed", seed);
            rejectWithItems("min", min);
            rejectWithItems("max", max);
            source = new ValueSource.ListedItems(numbers());
        } else {
            int lo = min != null ? min : DEFAULT_MIN;
            int hi = max != null ? max : DEFAULT_MAX;
            if (lo >= hi) {
                throw new RunRefused.InvalidField("min", "must be less than max (min " + lo + ", max " + hi + ")");
            }
            source = new ValueSource.RandomDraws(seed != null ? seed : ThreadLocalRandom.current().nextLong(CHOSEN_SEED_BOUND),
                    lo, hi);
        }
        return checked(new RunSpec(modelName, source, stop, maxItems != null ? maxItems : DEFAULT_MAX_ITEMS,
                loadIntervalMs != null ? loadIntervalMs : 0, inferenceMs != null ? inferenceMs : defaultInferenceMs,
                overflow != null ? overflow : Overflow.BLOCK, priority != null ? priority : Priority.DEFAULT,
                deadlineMs != null ? deadlineMs : 0), maxDuration);
    }

    private RunSpec checked(RunSpec spec, Duration maxDuration) {
        Duration worst = spec.worstCase();
        if (worst.compareTo(maxDuration) > 0) {
            boolean simulated = !(spec.source() instanceof ValueSource.Rows);
            throw new RunRefused.InvalidField(items != null ? "items" : "maxItems", String.format(Locale.ROOT,
                    "with loadIntervalMs and %s may last %.1f h at worst (%d x (%d + %s) ms), longer than "
                            + "mlpipe.runs.max-duration (%.1f h); ask for fewer items or shorter delays",
                    simulated ? "inferenceMs" : "the model's measured mean time per item",
                    worst.toMillis() / 3_600_000.0,
                    spec.mostItems(), spec.loadIntervalMs(), simulated ? Integer.toString(spec.inferenceMs())
                            : String.format(Locale.ROOT, "%.4f", spec.itemMs()),
                    maxDuration.toMillis() / 3_600_000.0));
        }
        return spec;
    }

    /** The listed values of the simulated model: whole numbers. */
    private int[] numbers() {
        int[] values = new int[items.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode item = items.get(i);
            if (item == null || item.isNull()) {
                throw new RunRefused.InvalidField("items[" + i + "]", "must not be null");
            }
            if (!item.isNumber()) {
                throw new RunRefused.InvalidField("items[" + i + "]", "must be a number, not " + kind(item));
            }
            if (!item.canConvertToInt()) {
                throw new RunRefused.InvalidField("items[" + i + "]", "must be a whole number within "
                        + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
            }
            values[i] = item.intValue();
        }
        return values;
    }

    /** The listed rows of a tensor model: arrays of {@code length} numbers. */
    private float[][] rows(int length) {
        float[][] rows = new float[items.size()][];
        for (int i = 0; i < rows.length; i++) {
            JsonNode item = items.get(i);
            String field = "items[" + i + "]";
            if (item == null || item.isNull()) {
                throw new RunRefused.InvalidField(field, "must not be null");
            }
            if (!item.isArray()) {
                throw new RunRefused.InvalidField(field, "must be an array of " + length + " numbers (the model's "
                        + "input row), not " + kind(item));
            }
            if (item.size() != length) {
                throw new RunRefused.InvalidField(field, "has " + item.size() + " numbers; the model's input row "
                        + "takes " + length);
            }
            float[] row = new float[length];
            for (int k = 0; k < length; k++) {
                JsonNode value = item.get(k);
                if (!value.isNumber()) {
                    throw new RunRefused.InvalidField(field + "[" + k + "]", "must be a number, not " + kind(value));
                }
                row[k] = value.floatValue();
            }
            rows[i] = row;
        }
        return rows;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static void rejectForTensors(String field, Object value) {
        if (value != null) {
            throw new RunRefused.InvalidField(field, "applies to the simulated model only; a tensor model's run "
                    + "leaves it out");
        }
    }

    private static void rejectWith(String with, String field, Object value) {
        if (value != null) {
            throw new RunRefused.InvalidField(field, "does not apply with " + with + "; leave it out");
        }
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
