package dev.mlpipe.model.onnx;

/** What became of one row given to {@link OnnxModel#run}: its output row, or why it has none. */
public sealed interface RowOutcome {

    /** The output row: the model's output for this row, flat and row-major, without the batch dimension. */
    record Output(float[] values) implements RowOutcome {
    }

    /** The row has no output: a sentence saying why (wrong length, a value the input's type cannot hold, the runtime's error). */
    record Failed(String reason) implements RowOutcome {
    }
}
