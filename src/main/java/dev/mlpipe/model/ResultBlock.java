package dev.mlpipe.model;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

import dev.mlpipe.model.onnx.OutputReading;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.TensorRow;

/**
 * The results of one tensor batch as columns: the items that got an output, each one's output row, predicted class and
 * score, and the batch's times, so a run records a batch from arrays rather than from a {@link Result} per row (which,
 * with its tensor part and prediction, was most of the model stage's time per row: BENCHMARKS.md, real models). It is
 * also the list of those results, each made when asked for: what reads a list of results (the broker, the v2 server)
 * reads it unchanged.
 */
public final class ResultBlock extends AbstractList<Result> implements RandomAccess {

    private final List<Item> batch;
    /** The batch's places of the items with a result, in order. */
    private final int[] fed;
    private final int count;
    private final float[][] outputs;
    private final int[] predicted;
    private final float[] scores;
    /** Each item's time out of the queue by its place in the batch; null when all left it at {@link #dequeuedAtStartUs}. */
    private final long[] dequeuedUs;
    private final long dequeuedAtStartUs;
    private final long startedUs;
    private final long finishedUs;
    private final String worker;
    private final long batchId;
    private final int batchSize;

    public ResultBlock(List<Item> batch, int[] fed, int count, float[][] outputs, int[] predicted, float[] scores,
            long[] dequeuedUs, long dequeuedAtStartUs, long startedUs, long finishedUs, String worker, long batchId) {
        this.batch = batch;
        this.fed = fed;
        this.count = count;
        this.outputs = outputs;
        this.predicted = predicted;
        this.scores = scores;
        this.dequeuedUs = dequeuedUs;
        this.dequeuedAtStartUs = dequeuedAtStartUs;
        this.startedUs = startedUs;
        this.finishedUs = finishedUs;
        this.worker = worker;
        this.batchId = batchId;
        this.batchSize = batch.size();
    }

    @Override
    public int size() {
        return count;
    }

    /** The {@code k}th result, made now. */
    @Override
    public Result get(int k) {
        Item item = item(Objects.checkIndex(k, count));
        TensorRow.Values row = (TensorRow.Values) item.tensor();
        return Result.ofTensor(item, new Prediction(prediction(k), score(k), predicted[k]), row.row(), row.label(),
                row.values(), outputs[k], dequeuedUs(k), startedUs, finishedUs, worker, batchId, batchSize);
    }

    public Item item(int k) {
        return batch.get(fed[k]);
    }

    /** The row the {@code k}th item fed the model. */
    public TensorRow.Values row(int k) {
        return (TensorRow.Values) item(k).tensor();
    }

    public String runId(int k) {
        return item(k).runId();
    }

    public float[] outputs(int k) {
        return outputs[k];
    }

    /** The predicted class's index in the output row; {@link Prediction#NOT_A_CLASS} when it is not a class vector. */
    public int predictedClass(int k) {
        return predicted[k];
    }

    /** The predicted class's name, as a result's {@code prediction}; null when the output is not a class vector. */
    public String prediction(int k) {
        return predicted[k] == Prediction.NOT_A_CLASS ? null : OutputReading.className(predicted[k]);
    }

    public double score(int k) {
        return scores[k];
    }

    public long dequeuedUs(int k) {
        return dequeuedUs == null ? dequeuedAtStartUs : dequeuedUs[fed[k]];
    }

    public long startedUs() {
        return startedUs;
    }

    public long finishedUs() {
        return finishedUs;
    }

    public String worker() {
        return worker;
    }

    public long batchId() {
        return batchId;
    }

    public int batchSize() {
        return batchSize;
    }
}
