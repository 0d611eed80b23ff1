package dev.mlpipe.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import dev.mlpipe.queue.Float32Bytes;

import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.Returned;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the model made of one item, with the item's timeline and the process that did it ({@code worker}, its
 * {@code mlpipe.instance-id}): the payload of the results link, so plain JSON. Times are microseconds since the Unix
 * epoch (each process reads its own clock); the durations derived from them are milliseconds and are only written.
 * {@code batchId} numbers the inferences of the process that ran it, from 1; {@code batchSize} is how many items that
 * inference took together. {@code tensor}: what a tensor model read and answered (its {@code value} is then 0); null for
 * the simulated model (and then left out of the JSON); through a broker its rows travel as {@link Float32Bytes}.
 */
@RegisterForReflection
@JsonIgnoreProperties(value = { "loaderWaitMs", "queueWaitMs", "batchWaitMs", "inferenceMs", "totalMs" }, allowGetters = true)
public record Result(String runId, long seq, int value, String prediction, double score, int queueDepth,
        long loadedUs, long enqueuedUs, long dequeuedUs, long startedUs, long finishedUs, String worker, long batchId,
        int batchSize, @JsonInclude(JsonInclude.Include.NON_NULL) TensorResult tensor) implements Returned {

    /** A result of the simulated model. */
    public Result(String runId, long seq, int value, String prediction, double score, int queueDepth, long loadedUs,
            long enqueuedUs, long dequeuedUs, long startedUs, long finishedUs, String worker, long batchId,
            int batchSize) {
        this(runId, seq, value, prediction, score, queueDepth, loadedUs, enqueuedUs, dequeuedUs, startedUs, finishedUs,
                worker, batchId, batchSize, null);
    }

    /**
     * A tensor model's row: its index, its label when the dataset has one, the predicted class's index in the output
     * row ({@link Prediction#NOT_A_CLASS} when the output is not a class vector), what the model was fed and its whole
     * output row.
     */
    @RegisterForReflection // in a result's JSON through a broker
    public record TensorResult(long row, String label, int predictedClass,
            @JsonSerialize(converter = Float32Bytes.Writer.class)
            @JsonDeserialize(converter = Float32Bytes.Reader.class) float[] input,
            @JsonSerialize(converter = Float32Bytes.Writer.class)
            @JsonDeserialize(converter = Float32Bytes.Reader.class) float[] outputs) {
    }

    static Result of(Item item, Prediction prediction, long dequeuedUs, long startedUs, long finishedUs,
            String worker, long batchId, int batchSize) {
        return new Result(item.runId(), item.seq(), item.value(), prediction.label(), prediction.score(),
                item.queueDepth(), item.loadedUs(), item.enqueuedUs(), dequeuedUs, startedUs, finishedUs, worker,
                batchId, batchSize, null);
    }

    /** A tensor model's result: {@code prediction} null when its output is not a class vector. */
    static Result ofTensor(Item item, Prediction prediction, long row, String label, float[] input, float[] outputs,
            long dequeuedUs, long startedUs, long finishedUs, String worker, long batchId, int batchSize) {
        return new Result(item.runId(), item.seq(), 0, prediction.label(), prediction.score(), item.queueDepth(),
                item.loadedUs(), item.enqueuedUs(), dequeuedUs, startedUs, finishedUs, worker, batchId, batchSize,
                new TensorResult(row, label, prediction.classIndex(), input, outputs));
    }

    /** The same result, under another worker name (one bounded for the metrics and the run's view). */
    public Result byWorker(String name) {
        return new Result(runId, seq, value, prediction, score, queueDepth, loadedUs, enqueuedUs, dequeuedUs,
                startedUs, finishedUs, name, batchId, batchSize, tensor);
    }

    /** Time the loader waited for room in the queue. */
    @JsonProperty
    public double loaderWaitMs() {
        return (enqueuedUs - loadedUs) / 1e3;
    }

    /** Time the item waited in the queue for the model. */
    @JsonProperty
    public double queueWaitMs() {
        return (dequeuedUs - enqueuedUs) / 1e3;
    }

    /** Time the item waited, taken from the queue, for its batch to fill and start. */
    @JsonProperty
    public double batchWaitMs() {
        return (startedUs - dequeuedUs) / 1e3;
    }

    /** Time the model worked on the item, as measured (not as configured). */
    @JsonProperty
    public double inferenceMs() {
        return (finishedUs - startedUs) / 1e3;
    }

    /** Time from loading the item to its result. */
    @JsonProperty
    public double totalMs() {
        return (finishedUs - loadedUs) / 1e3;
    }
}
