package dev.mlpipe.run;

/**
 * One kept result, or an item that expired in the queue or failed, as an encoder reads it, field by field, without an object per result: {@link History} hands its
 * readers a cursor over its columns. Times are microseconds since the epoch.
 */
public interface ResultRow {

    String runId();

    long seq();

    int value();

    /**
     * The item waited in the queue past its run's deadline and was not run: it left the queue at {@link #dequeuedUs()},
     * and has no label, score, worker or batch.
     */
    boolean expired();

    /**
     * The item was taken for inference and gave no result ({@link #failureReason()} says why): its times up to when it
     * failed, at {@link #dequeuedUs()}, and no label, score, worker or batch.
     */
    boolean failed();

    /** Why the item failed; null unless {@link #failed()}. */
    String failureReason();

    /** The model's label: high, else low. */
    boolean high();

    /** The score in ten-thousandths (the model rounds it to four decimals). */
    int scoreTenThousandths();

    int queueDepth();

    long loadedUs();

    long enqueuedUs();

    long dequeuedUs();

    long startedUs();

    long finishedUs();

    String worker();

    /** The inference that ran it, numbered by the process that ran it. */
    long batchId();

    /** Items in that inference. */
    int batchSize();

    /** A tensor model's result: {@link #row()}, {@link #prediction()} and the rest apply, {@link #value()} does not. */
    default boolean tensor() {
        return false;
    }

    /** The tensor model's row: its dataset row, or its place among the run's rows. */
    default long row() {
        return value();
    }

    /** The predicted class or label; null when a tensor model's output is not a class vector. */
    default String prediction() {
        return high() ? "high" : "low";
    }

    /** The dataset's label for the row; null when it has none. */
    default String label() {
        return null;
    }

    /** What a tensor model was fed; null for the simulated model. */
    default float[] input() {
        return null;
    }

    /** A tensor model's whole output row; null for the simulated model. */
    default float[] outputs() {
        return null;
    }
}
