package dev.mlpipe.queue;

/**
 * The payload of an item for a tensor model: one row of the model's input, flat and row-major, or a dataset row that
 * could not be read, which the model stage fails with its reason in its place, so the run accounts for it as for any.
 */
public sealed interface TensorRow {

    /** The row's index: its dataset row, or its place among the run's random or listed rows, from 0. */
    long row();

    /** @param label the dataset's label for the row; null when it has none */
    record Values(long row, float[] values, String label) implements TensorRow {
    }

    record Unreadable(long row, String reason) implements TensorRow {
    }
}
