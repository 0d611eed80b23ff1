package dev.mlpipe.model;

import java.util.List;
import java.util.function.Consumer;

import dev.mlpipe.queue.Item;

/**
 * What runs a model's batches behind its {@link LocalIntake}: the simulated model's timer ({@link InferenceStage}) or
 * ONNX Runtime ({@link OnnxBackend}). Chosen once per model at start, by {@code mlpipe.models.<name>.backend}.
 */
public interface ModelBackend extends AutoCloseable {

    /**
     * Runs one batch, its items taken from the queue at {@code dequeuedUs} (each its own) and started at
     * {@code startedNanos} (a nanoTime).
     *
     * @return the batch's results and failures at once when it takes no time; otherwise null, and {@code later} gets
     *         them on the backend's own thread
     */
    ResultBatch infer(List<Item> batch, long[] dequeuedUs, long startedNanos, Consumer<ResultBatch> later);

    /**
     * The backend's mean time per item so far, in milliseconds: its batches' time over their items. 0 when it has
     * measured nothing, or takes the time each item asks for (the simulated model).
     */
    default double meanItemMs() {
        return 0;
    }

    /** A run ended: whatever the backend still does for its items alone may stop (their results are dropped). */
    default void runEnded(String runId) {
    }

    /** Batches that may run at once changed live: a thread per batch. */
    void concurrency(int batches);

    @Override
    void close();
}
