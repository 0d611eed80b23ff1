package dev.mlpipe.model;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.mlpipe.model.onnx.OnnxModel;
import dev.mlpipe.model.onnx.OutputReading;
import dev.mlpipe.model.onnx.RowOutcome;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.TensorRow;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A model of the {@code onnx} backend: a batch is one {@link OnnxModel#run} call (one {@code [batch, ...]} tensor),
 * made on a thread of the model's own pool ({@code mlpipe-onnx-<name>}, a thread per batch that may run at once), since
 * ONNX Runtime blocks its caller. A row that cannot be fed (unreadable, wrong length, refused by the runtime) fails
 * alone with its reason; its batch's other rows get their results.
 */
final class OnnxBackend implements ModelBackend {

    private final OnnxModel model;
    private final OutputReading reading;
    private final PipelineActivity activity;
    private final PipelineMetrics.ModelMeters metrics;
    private final String worker;
    private final ThreadPoolExecutor pool;
    private final AtomicLong batches = new AtomicLong();
    /** The calls' time and their rows, for the mean time per item: from a timed call at start, then every batch's. */
    private final MeanItemTime itemTime = new MeanItemTime();

    OnnxBackend(String name, OnnxModel model, OutputReading reading, PipelineActivity activity,
            PipelineMetrics.ModelMeters metrics, String worker) {
        this.model = model;
        this.reading = reading;
        this.activity = activity;
        this.metrics = metrics;
        this.worker = worker;
        int threads = activity.concurrency();
        // the intake runs at most `concurrency` batches at once, so a batch never waits in the pool's queue for long
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("mlpipe-onnx-" + name, true));
        warmUp();
    }

    /**
     * Runs a row of zeros twice and times the second call, so the model has a mean time per item before its first run
     * (the first call of a session pays for its set-up). A model that refuses zeros is measured by its first batch.
     */
    private void warmUp() {
        List<float[]> zeros = List.of(new float[model.info().rowLength()]);
        try {
            if (model.run(zeros).get(0) instanceof RowOutcome.Output) {
                long started = System.nanoTime();
                if (model.run(zeros).get(0) instanceof RowOutcome.Output) {
                    itemTime.add(System.nanoTime() - started, 1);
                }
            }
        } catch (RuntimeException unmeasured) {
            // a model that fails here fails its rows with their reasons at run time; it is measured by its batches
        }
    }

    @Override
    public double meanItemMs() {
        return itemTime.ms();
    }

    @Override
    public ResultBatch infer(List<Item> batch, long[] dequeuedUs, long startedNanos, Consumer<ResultBatch> later) {
        long batchId = batches.incrementAndGet();
        long dequeuedAtStartUs = Clock.usOf(startedNanos);
        metrics.batch(batch.size());
        activity.modelStarted();
        pool.execute(() -> {
            ResultBatch outcome = run(batch, dequeuedUs, dequeuedAtStartUs, batchId);
            activity.modelFinished();
            later.accept(outcome);
        });
        return null;
    }

    private ResultBatch run(List<Item> batch, long[] dequeuedUs, long dequeuedAtStartUs, long batchId) {
        int size = batch.size();
        int[] fed = new int[size]; // the batch's places of the rows fed, in order
        int count = 0;
        List<Failed> failed = new ArrayList<>();
        long startedUs = Clock.nowUs();
        for (int i = 0; i < size; i++) {
            TensorRow tensor = batch.get(i).tensor();
            if (tensor instanceof TensorRow.Values) {
                fed[count++] = i;
            } else {
                String reason = tensor instanceof TensorRow.Unreadable unreadable ? unreadable.reason()
                        : "the item has no row of numbers for this model";
                failed.add(new Failed(batch.get(i), startedUs, reason));
            }
        }
        long callNanos = System.nanoTime();
        List<RowOutcome> outcomes = count == 0 ? List.of() : model.run(new FedRows(batch, fed, count));
        if (count > 0) {
            itemTime.add(System.nanoTime() - callNanos, count);
        }
        long finishedUs = Clock.nowUs();
        float[][] outputs = new float[count][];
        int[] predicted = new int[count];
        float[] scores = new float[count];
        int[] done = fed; // the places of the rows with an output, written over fed's as it is read
        int results = 0;
        for (int k = 0; k < count; k++) {
            if (outcomes.get(k) instanceof RowOutcome.Output output) {
                float[] values = output.values();
                int best = reading.classOf(values);
                done[results] = fed[k];
                outputs[results] = values;
                predicted[results] = best;
                scores[results] = best == Prediction.NOT_A_CLASS ? 0 : values[best];
                results++;
            } else {
                failed.add(new Failed(batch.get(fed[k]), finishedUs, ((RowOutcome.Failed) outcomes.get(k)).reason()));
            }
        }
        return new ResultBatch(new ResultBlock(batch, done, results, outputs, predicted, scores, dequeuedUs,
                dequeuedAtStartUs, startedUs, finishedUs, worker, batchId), List.of(), failed);
    }

    /** The rows of a batch's items that have numbers, read in place rather than copied into a list of their own. */
    private static final class FedRows extends AbstractList<float[]> implements RandomAccess {
        private final List<Item> batch;
        private final int[] fed;
        private final int count;

        FedRows(List<Item> batch, int[] fed, int count) {
            this.batch = batch;
            this.fed = fed;
            this.count = count;
        }

        @Override
        public float[] get(int k) {
            return ((TensorRow.Values) batch.get(fed[Objects.checkIndex(k, count)]).tensor()).values();
        }

        @Override
        public int size() {
            return count;
        }
    }

    @Override
    public void concurrency(int batches) {
        if (batches > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(batches);
            pool.setCorePoolSize(batches);
        } else {
            pool.setCorePoolSize(batches);
            pool.setMaximumPoolSize(batches);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        model.close();
    }
}
