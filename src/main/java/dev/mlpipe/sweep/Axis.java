package dev.mlpipe.sweep;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.run.RunRequest;

/**
 * A number a sweep may vary: a field of the run spec, or a setting of the pipeline (which the pipeline must be able
 * to change while it runs, {@link PipelineControl}).
 */
enum Axis {
    LOAD_INTERVAL_MS("loadIntervalMs"),
    INFERENCE_MS("inferenceMs"),
    MAX_ITEMS("maxItems"),
    PRIORITY("priority"),
    DEADLINE_MS("deadlineMs"),
    SEED("seed"),
    MIN("min"),
    MAX("max"),
    CAPACITY("capacity"),
    CONCURRENCY("concurrency"),
    MAX_BATCH_SIZE("maxBatchSize"),
    BATCH_DELAY_MS("batchDelayMs");

    static final String NAMES = Arrays.stream(values()).map(Axis::label).collect(Collectors.joining(", "));

    private final String label;

    Axis(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static Optional<Axis> named(String label) {
        return Arrays.stream(values()).filter(a -> a.label.equals(label)).findFirst();
    }

    boolean ofPipeline() {
        return ordinal() >= CAPACITY.ordinal();
    }

    /** The run spec with this field set to {@code v}; the run spec itself for a pipeline axis. */
    RunRequest apply(RunRequest r, int v) {
        return switch (this) {
            case LOAD_INTERVAL_MS -> new RunRequest(r.seed(), r.min(), r.max(), r.sentinel(), r.maxItems(), v,
                    r.inferenceMs(), r.overflow(), r.items(), r.priority(), r.deadlineMs(), r.model(), r.dataset(), r.repeat(),
                    r.name(), r.tags());
            case INFERENCE_MS -> new RunRequest(r.seed(), r.min(), r.max(), r.sentinel(), r.maxItems(),
                    r.loadIntervalMs(), v, r.overflow(), r.items(), r.priority(), r.deadlineMs(), r.model(), r.dataset(), r.repeat(),
                    r.name(), r.tags());
            case MAX_ITEMS -> new RunRequest(r.seed(), r.min(), r.max(), r.sentinel(), v, r.loadIntervalMs(),
                    r.inferenceMs(), r.overflow(), r.items(), r.priority(), r.deadlineMs(), r.model(), r.dataset(), r.repeat(),
                    r.name(), r.tags());
            case PRIORITY -> new RunRequest(r.seed(), r.min(), r.max(), r.sentinel(), r.maxItems(),
                    r.loadIntervalMs(), r.inferenceMs(), r.overflow(), r.items(), v, r.deadlineMs(), r.model(), r.dataset(), r.repeat(),
                    r.name(), r.tags());
            case DEADLINE_MS -> new RunRequest(r.seed(), r.min(), r.max(), r.sentinel(), r.maxItems(),
                    r.loadIntervalMs(), r.inferenceMs(), r.overflow(), r.items(), r.priority(), v, r.model(), r.dataset(), r.repeat(),
                    r.name(), r.tags());
            case SEED -> new RunRequest((long) v, r.min(), r.max(), r.sentinel(), r.maxItems(), r.loadIntervalMs(),
                    r.inferenceMs(), r.overflow(), r.items(), r.priority(), r.deadlineMs(), r.model(), r.dataset(), r.repeat(),
                    r.name(), r.tags());
            case MIN -> new RunRequest(r.seed(), v, r.max(), r.sentinel(), r.maxItems(), r.loadIntervalMs(),
                    r.inferenceMs(), r.overflow(), r.items(), r.priority(), r.deadlineMs(), r.model(), r.dataset(), r.repeat(),
                    r.name(), r.tags());
            case MAX -> new RunRequest(r.seed(), r.min(), v, r.sentinel(), r.maxItems(), r.loadIntervalMs(),
                    r.inferenceMs(), r.overflow(), r.items(), r.priority(), r.deadlineMs(), r.model(), r.dataset(), r.repeat(),
                    r.name(), r.tags());
            default -> r;
        };
    }

    /** This setting alone, as a change of the pipeline checks it; null for a run axis. */
    PipelineSettings.Change change(int v) {
        return switch (this) {
            case CAPACITY -> new PipelineSettings.Change(v, null, null, null);
            case CONCURRENCY -> new PipelineSettings.Change(null, v, null, null);
            case MAX_BATCH_SIZE -> new PipelineSettings.Change(null, null, v, null);
            case BATCH_DELAY_MS -> new PipelineSettings.Change(null, null, null, (double) v);
            default -> null;
        };
    }

    /** The pipeline's settings with this one set to {@code v}; the settings themselves for a run axis. */
    PipelineSetup apply(PipelineSetup p, int v) {
        PipelineSettings.Change change = change(v);
        return change == null ? p : p.with(change);
    }
}
