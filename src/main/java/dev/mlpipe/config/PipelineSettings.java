package dev.mlpipe.config;

import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The queue and model settings a running service may change ({@code PUT /api/pipeline}): they start as
 * {@link MlpipeConfig} has them and change all together or not at all. The stages that hold something sized by them
 * (the queue's places, the model's slots and timer threads, the activity's levels) observe each {@link Changed}; the
 * model's intake reads {@link #now()} for each batch it forms.
 */
@Singleton
public class PipelineSettings {

    public static final int MAX_CAPACITY = 100_000;
    public static final int MAX_CONCURRENCY = 1024;
    public static final int MAX_BATCH_SIZE = 4096;
    public static final int MAX_BATCH_DELAY_MS = 60_000;
    /** The most items an unpaced loader enters at once, and so the most one broker message carries. */
    public static final int MAX_CHUNK = 64;

    /** The settings at one moment. */
    public record Settings(int capacity, int concurrency, int maxBatchSize, long batchDelayNanos) {

        static Settings of(MlpipeConfig config) {
            return new Settings(config.simulated().capacity(), config.simulated().concurrency(),
                    config.simulated().maxBatchSize(), config.simulated().batchDelay().toNanos());
        }
    }

    /** Fired, synchronously and in the order of the changes, once {@link #now()} is {@code after}. */
    public record Changed(Settings before, Settings after) {
    }

    /** The body of {@code PUT /api/pipeline}: the settings to change, each by the rule it has at start. */
    @Schema(name = "PipelineChange", description = "The settings to change; an absent field keeps its value")
    public record Change(
            @Schema(description = "Places in the queue (mlpipe.models.simulated.capacity); a smaller one removes no item: new "
                    + "items wait until the depth is below it", minimum = "1", maximum = "100000")
            @Min(value = 1, message = "must be at least 1")
            @Max(value = MAX_CAPACITY, message = "must be at most " + MAX_CAPACITY) Integer capacity,
            @Schema(description = "Batches the model runs at once (mlpipe.models.simulated.concurrency); fewer take effect as "
                    + "batches in flight finish", minimum = "1", maximum = "1024")
            @Min(value = 1, message = "must be at least 1")
            @Max(value = MAX_CONCURRENCY, message = "must be at most " + MAX_CONCURRENCY) Integer concurrency,
            @Schema(description = "Items in one batch at most (mlpipe.models.simulated.max-batch-size), from the next batch",
                    minimum = "1", maximum = "4096")
            @Min(value = 1, message = "must be at least 1")
            @Max(value = MAX_BATCH_SIZE, message = "must be at most " + MAX_BATCH_SIZE) Integer maxBatchSize,
            @Schema(description = "How long a batch that is not full may wait to fill, in milliseconds "
                    + "(mlpipe.models.simulated.batch-delay), from the next batch", minimum = "0", maximum = "60000")
            @DecimalMin(value = "0", message = "must not be negative")
            @DecimalMax(value = "" + MAX_BATCH_DELAY_MS, message = "must be at most " + MAX_BATCH_DELAY_MS)
            Double batchDelayMs) {

        Settings applyTo(Settings now) {
            return new Settings(capacity == null ? now.capacity() : capacity,
                    concurrency == null ? now.concurrency() : concurrency,
                    maxBatchSize == null ? now.maxBatchSize() : maxBatchSize,
                    batchDelayMs == null ? now.batchDelayNanos() : Math.round(batchDelayMs * 1e6));
        }
    }

    /** With a broker the settings are not one process's to change: the broker's queue length is declared once. */
    public static final class LiveChangeRefused extends RuntimeException {
        static final String WHY = "live changes apply only in one process: with a broker (mlpipe.broker.enabled) the "
                + "items queue's length is declared once, so every process must restart with the new settings";

        LiveChangeRefused() {
            super(WHY, null, false, false);
        }
    }

    private final boolean brokered;
    private final Consumer<Changed> changed;
    private volatile Settings now; // written under this

    @Inject
    PipelineSettings(MlpipeConfig config, Event<Changed> changed) {
        this(Settings.of(config), config.broker().enabled(), changed::fire);
    }

    /** @param changed told of each change before {@link #change} returns */
    public PipelineSettings(Settings initial, boolean brokered, Consumer<Changed> changed) {
        this.now = initial;
        this.brokered = brokered;
        this.changed = changed;
    }

    public Settings now() {
        return now;
    }

    /** Why {@link #change} would refuse any change here, or empty when it applies them. */
    public Optional<String> refusal() {
        return brokered ? Optional.of(LiveChangeRefused.WHY) : Optional.empty();
    }

    /**
     * Applies a change the caller has validated; one at a time, so that every observer sees the changes in order.
     *
     * @throws LiveChangeRefused with a broker
     */
    public synchronized Settings change(Change change) {
        if (brokered) {
            throw new LiveChangeRefused();
        }
        Settings before = now;
        now = change.applyTo(before);
        changed.accept(new Changed(before, now));
        return now;
    }
}
