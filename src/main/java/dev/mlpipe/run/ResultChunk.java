package dev.mlpipe.run;

import java.util.Arrays;

import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBlock;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.TensorRow;

/**
 * Up to {@link #SIZE} kept results of a run, a column per field: some 63 bytes a result rather than an object and its
 * JSON. A slot is written once, before the run publishes it, and never changes afterwards.
 */
final class ResultChunk {

    static final int BITS = 10;
    static final int SIZE = 1 << BITS;
    /** The columns of one slot: what the budget counts per kept result. */
    static final int BYTES_PER_RESULT = Integer.BYTES * 4 + Short.BYTES * 3 + 1 + Long.BYTES * 5;

    // what a slot holds
    static final byte LOW = 0;
    static final byte HIGH = 1;
    static final byte EXPIRED = 2;
    /** A failed item: its {@link #batch} column holds the index of its reason in the run's reasons. */
    static final byte FAILED = 3;
    /** A tensor model's result: {@link #value} holds its row, the tensor columns the rest. */
    static final byte TENSOR = 4;

    final int[] seq;
    final int[] value;
    final byte[] kind;
    final short[] score;
    final int[] depth;
    final long[] loaded;
    final long[] enqueued;
    final long[] dequeued;
    final long[] started;
    final long[] finished;
    final short[] worker;
    /** The batch id as its distance from the run's first. */
    final int[] batch;
    final short[] batchSize;
    /** Names of the workers, by the index {@link #worker} holds. */
    volatile String[] workers;
    // a tensor model's run only (null otherwise): the predicted class (-1: none), the label's index in the run's
    // labels (-1: none), and the input rows (the loader's own arrays, shared by a replayed dataset's passes)
    final short[] predicted;
    final short[] label;
    final float[][] inputs;
    /**
     * The widest output row kept side by side in {@link #outputValues}: one array a chunk, so the collector copies and
     * marks one object where it would meet one a kept result; 256 numbers bound a chunk's array to 1 MiB. A wider
     * row is kept on its own.
     */
    static final int SIDE_BY_SIDE = 256;
    /** A row kept on its own that was null. */
    private static final float[] NO_OUTPUTS = new float[0];
    // The output rows: those of the chunk's width (the first kept row's) side by side, from slot x width (the width
    // is the array's length over the capacity); any other row in oddOutputs. Both are set after earlier slots were
    // published, and a grown chunk copies them in its constructor, so they are volatile: a reader that sees a slot
    // published sees them as they were when it was, whichever chunk object it reached.
    volatile float[] outputValues;
    volatile float[][] oddOutputs;

    ResultChunk(int capacity, ResultChunk from, String[] workers) {
        this(capacity, from, workers, false);
    }

    /** A chunk of {@code capacity} slots holding what {@code from} held, if anything; with tensor columns or not. */
    ResultChunk(int capacity, ResultChunk from, String[] workers, boolean tensor) {
        predicted = !tensor ? null : from == null ? new short[capacity] : Arrays.copyOf(from.predicted, capacity);
        label = !tensor ? null : from == null ? new short[capacity] : Arrays.copyOf(from.label, capacity);
        inputs = !tensor ? null : from == null ? new float[capacity][] : Arrays.copyOf(from.inputs, capacity);
        float[] fromValues = from == null ? null : from.outputValues;
        if (fromValues != null) {
            outputValues = Arrays.copyOf(fromValues, capacity * (fromValues.length / from.capacity()));
        }
        float[][] fromOdd = from == null ? null : from.oddOutputs;
        oddOutputs = fromOdd == null ? null : Arrays.copyOf(fromOdd, capacity);
        seq = from == null ? new int[capacity] : Arrays.copyOf(from.seq, capacity);
        value = from == null ? new int[capacity] : Arrays.copyOf(from.value, capacity);
        kind = from == null ? new byte[capacity] : Arrays.copyOf(from.kind, capacity);
        score = from == null ? new short[capacity] : Arrays.copyOf(from.score, capacity);
        depth = from == null ? new int[capacity] : Arrays.copyOf(from.depth, capacity);
        loaded = from == null ? new long[capacity] : Arrays.copyOf(from.loaded, capacity);
        enqueued = from == null ? new long[capacity] : Arrays.copyOf(from.enqueued, capacity);
        dequeued = from == null ? new long[capacity] : Arrays.copyOf(from.dequeued, capacity);
        started = from == null ? new long[capacity] : Arrays.copyOf(from.started, capacity);
        finished = from == null ? new long[capacity] : Arrays.copyOf(from.finished, capacity);
        worker = from == null ? new short[capacity] : Arrays.copyOf(from.worker, capacity);
        batch = from == null ? new int[capacity] : Arrays.copyOf(from.batch, capacity);
        batchSize = from == null ? new short[capacity] : Arrays.copyOf(from.batchSize, capacity);
        this.workers = workers;
    }

    int capacity() {
        return seq.length;
    }

    void put(int slot, Result result, short workerIndex, int batchOffset) {
        seq[slot] = (int) result.seq();
        value[slot] = result.value();
        kind[slot] = "high".equals(result.prediction()) ? HIGH : LOW;
        score[slot] = (short) Math.round(result.score() * 10_000);
        depth[slot] = result.queueDepth();
        loaded[slot] = result.loadedUs();
        enqueued[slot] = result.enqueuedUs();
        dequeued[slot] = result.dequeuedUs();
        started[slot] = result.startedUs();
        finished[slot] = result.finishedUs();
        worker[slot] = workerIndex;
        batch[slot] = batchOffset;
        batchSize[slot] = (short) Math.max(0, Math.min(Short.MAX_VALUE, result.batchSize()));
    }

    /** The tensor part of a tensor model's result, after {@link #put(int, Result, short, int)}. */
    void putTensor(int slot, Result result, short labelIndex) {
        Result.TensorResult tensor = result.tensor();
        value[slot] = (int) Math.min(Integer.MAX_VALUE, tensor.row());
        kind[slot] = TENSOR;
        score[slot] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(result.score() * 10_000)));
        predicted[slot] = tensor.predictedClass() > Short.MAX_VALUE ? -1 : (short) tensor.predictedClass();
        label[slot] = labelIndex;
        inputs[slot] = tensor.input();
        putOutputs(slot, tensor.outputs());
    }

    /** The {@code k}th result of a tensor block, as {@link #put(int, Result, short, int)} and {@link #putTensor}. */
    void put(int slot, ResultBlock block, int k, short workerIndex, int batchOffset, short labelIndex) {
        Item item = block.item(k);
        TensorRow.Values row = block.row(k);
        seq[slot] = (int) item.seq();
        value[slot] = (int) Math.min(Integer.MAX_VALUE, row.row());
        kind[slot] = TENSOR;
        score[slot] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(block.score(k) * 10_000)));
        depth[slot] = item.queueDepth();
        loaded[slot] = item.loadedUs();
        enqueued[slot] = item.enqueuedUs();
        dequeued[slot] = block.dequeuedUs(k);
        started[slot] = block.startedUs();
        finished[slot] = block.finishedUs();
        worker[slot] = workerIndex;
        batch[slot] = batchOffset;
        batchSize[slot] = (short) Math.max(0, Math.min(Short.MAX_VALUE, block.batchSize()));
        int predictedClass = block.predictedClass(k);
        predicted[slot] = predictedClass > Short.MAX_VALUE ? -1 : (short) predictedClass;
        label[slot] = labelIndex;
        inputs[slot] = row.values();
        putOutputs(slot, block.outputs(k));
    }

    /** A tensor result's output row: copied beside the others of the chunk's width, else kept as it is. */
    private void putOutputs(int slot, float[] row) {
        float[] values = outputValues;
        if (values == null && row != null && row.length <= SIDE_BY_SIDE) {
            values = new float[capacity() * row.length];
            outputValues = values;
        }
        int width = values == null ? -1 : values.length / capacity();
        if (row != null && row.length == width) {
            System.arraycopy(row, 0, values, slot * width, width);
            return;
        }
        float[][] odd = oddOutputs;
        if (odd == null) {
            odd = new float[capacity()][];
            oddOutputs = odd;
        }
        odd[slot] = row == null ? NO_OUTPUTS : row;
    }

    /** The output row of a tensor result's slot, a copy when kept side by side; null for any other slot. */
    float[] outputs(int slot) {
        if (kind[slot] != TENSOR) {
            return null;
        }
        float[][] oddRows = oddOutputs;
        float[] odd = oddRows == null ? null : oddRows[slot];
        if (odd != null) {
            return odd == NO_OUTPUTS ? null : odd;
        }
        float[] values = outputValues;
        if (values == null) {
            return null;
        }
        int width = values.length / capacity();
        return Arrays.copyOfRange(values, slot * width, slot * width + width);
    }

    /** An item that expired in the queue: its times up to when it left the queue, no prediction, worker or batch. */
    void put(int slot, Expired expired) {
        seq[slot] = (int) expired.seq();
        value[slot] = expired.item().value();
        kind[slot] = EXPIRED;
        depth[slot] = expired.item().queueDepth();
        loaded[slot] = expired.item().loadedUs();
        enqueued[slot] = expired.item().enqueuedUs();
        dequeued[slot] = expired.atUs();
        started[slot] = expired.atUs();
        finished[slot] = expired.atUs();
    }

    /** A failed item: its times up to when it failed, and its reason's index in the run's reasons. */
    void put(int slot, Failed failed, int reasonIndex) {
        seq[slot] = (int) failed.seq();
        value[slot] = failed.item().value();
        kind[slot] = FAILED;
        depth[slot] = failed.item().queueDepth();
        loaded[slot] = failed.item().loadedUs();
        enqueued[slot] = failed.item().enqueuedUs();
        dequeued[slot] = failed.atUs();
        started[slot] = failed.atUs();
        finished[slot] = failed.atUs();
        batch[slot] = reasonIndex;
    }

    /** The seq of the result at a position, this chunk holding it. */
    int seqAt(long position) {
        return seq[slot(position)];
    }

    static int slot(long position) {
        return (int) (position & (SIZE - 1));
    }

    static int index(long position) {
        return (int) (position >>> BITS);
    }
}
