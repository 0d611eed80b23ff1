package dev.mlpipe.sweep;

import dev.mlpipe.config.PipelineSettings;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The pipeline's settings a sweep step runs under (those {@code PUT /api/pipeline} changes, and the batch item cost,
 * which stays), and what its predicted throughput is computed from.
 *
 * @param batchItemCost what each item beyond a batch's first adds to its time, as a share of inferenceMs
 */
@RegisterForReflection // serialized into sweep events, outside any REST signature
public record PipelineSetup(int capacity, int concurrency, int maxBatchSize, double batchDelayMs, double batchItemCost) {

    /** These settings with what the change gives: an absent field keeps its value, as with PUT /api/pipeline. */
    PipelineSetup with(PipelineSettings.Change change) {
        return new PipelineSetup(change.capacity() != null ? change.capacity() : capacity,
                change.concurrency() != null ? change.concurrency() : concurrency,
                change.maxBatchSize() != null ? change.maxBatchSize() : maxBatchSize,
                change.batchDelayMs() != null ? change.batchDelayMs() : batchDelayMs, batchItemCost);
    }

    /**
     * Items per second the model does at most for items of {@code inferenceMs}, every slot busy with full batches
     * (a batch of n takes inferenceMs x (1 + batchItemCost x (n - 1))); null when inference takes no time.
     */
    public Double ceiling(int inferenceMs) {
        if (inferenceMs == 0) {
            return null;
        }
        double batchMs = inferenceMs * (1 + batchItemCost * (maxBatchSize - 1));
        return concurrency * maxBatchSize * 1000.0 / batchMs;
    }
}
