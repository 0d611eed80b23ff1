package dev.mlpipe.model.onnx;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What mlpipe feeds a model and reads from it. {@code batched}: the input's first dimension is open, so a batch of rows
 * is one call on a {@code [rows, ...]} tensor; otherwise the input's shape is one row and each row is a call of its
 * own. {@code rowLength}: the numbers in one row (the input's shape without the batch dimension, multiplied out).
 */
@RegisterForReflection // listed by GET /api/models
public record ModelInfo(TensorSpec input, TensorSpec output, boolean batched, int rowLength) {

    /** The shape of one row of the input: without the batch dimension when there is one. */
    public List<Long> rowShape() {
        return batched ? input.shape().subList(1, input.shape().size()) : input.shape();
    }

    /** The declared shape of one row of the output, as {@link #rowShape()}. */
    public List<Long> outputRowShape() {
        List<Long> shape = output.shape();
        return batched && !shape.isEmpty() ? shape.subList(1, shape.size()) : shape;
    }

    /** The shape of {@code rows} rows each of shape {@code row}, the batch dimension first where the model has one. */
    public long[] shapeOf(int rows, List<Long> row) {
        long[] shape = new long[row.size() + (batched ? 1 : 0)];
        int at = 0;
        if (batched) {
            shape[at++] = rows;
        }
        for (long dimension : row) {
            shape[at++] = dimension;
        }
        return shape;
    }
}
