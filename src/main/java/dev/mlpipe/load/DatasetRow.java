package dev.mlpipe.load;

import java.util.Optional;

/** One data row of a dataset as it was read: its numbers, or why it has none. */
public sealed interface DatasetRow {

    /** The row's index among the file's data rows, from 0 (the header and blank lines are not rows). */
    long row();

    /**
     * The row's feature values in the header's order, as floats (what models take; a cell is read as a double, then
     * rounded), and its label when the dataset has a label column.
     */
    record Features(long row, float[] values, Optional<String> label) implements DatasetRow {
    }

    /** A row that does not parse, or has not the header's number of columns: a sentence naming its line and what is wrong. */
    record Unreadable(long row, String reason) implements DatasetRow {
    }
}
