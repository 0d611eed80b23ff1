package dev.mlpipe.run;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBlock;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.observe.RunStats;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.Returned;
import dev.mlpipe.queue.TensorRow;

/**
 * What comes back to a run (results, and items that expired or failed unrun), put back in load order and released to
 * its history each once, counted as it is released: in the run's counts and statistics, its accuracy, its workers and
 * the shared meters. Its {@link Run} calls it under the run's lock only, so nothing here is synchronized.
 */
final class RunReturns {

    private final RunCounts counts;
    private final RunStats stats;
    private final History history;
    private final PipelineMetrics metrics;
    private final PipelineMetrics.ModelMeters modelMeters;
    private final Reordering order = new Reordering();
    private final Consumer<Returned> release = this::release;
    /** A tensor run's labelled results: by label, the predictions made and how often. */
    private final AccuracyTally accuracy;
    /** Items processed, by the worker that processed them. */
    private final Map<String, Long> workers = new TreeMap<>();
    /** Processed items not yet in the shared meters: added once per burst of results. */
    private final PipelineMetrics.Tally tally;

    RunReturns(RunCounts counts, RunStats stats, History history, PipelineMetrics metrics,
            PipelineMetrics.ModelMeters modelMeters) {
        this.counts = counts;
        this.stats = stats;
        this.history = history;
        this.metrics = metrics;
        this.modelMeters = modelMeters;
        this.accuracy = new AccuracyTally(history.labels());
        this.tally = modelMeters.tally((worker, items) -> workers.merge(worker, items, Long::sum));
    }

    /** The run loaded item {@code seq}: its result is awaited, in this place. */
    void expect(long seq) {
        order.expect(seq);
    }

    /** Item {@code seq} never entered the queue: nothing comes back for it. */
    void forget(long seq) {
        order.forget(seq);
    }

    /** Items loaded whose result has not been released yet. */
    int waiting() {
        return order.waiting();
    }

    /** {@code results[from, to)} came back. */
    void results(List<Result> results, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!order.arrived(results.get(i), release)) {
                metrics.unexpectedResult(); // a second copy, or a seq this run never loaded
            }
        }
    }

    /**
     * {@code block[from, to)} came back: each row released from the block's columns when it is the one awaited next,
     * as at concurrency 1; one that overtook an earlier item waits as a result.
     */
    void block(ResultBlock block, int from, int to) {
        int released = 0;
        for (int k = from; k < to; k++) {
            if (order.next(block.item(k).seq())) {
                release(block, k);
                released++;
            } else if (!order.arrived(block.get(k), release)) {
                metrics.unexpectedResult();
            }
        }
        if (released > 0) { // the batch's inference time is one figure: counted once, for all its rows
            long inferenceUs = block.finishedUs() - block.startedUs();
            stats.inferred(inferenceUs, released);
            tally.inferred(inferenceUs, released);
        }
    }

    /** An item came back without a model's result (it expired or failed): released in its place, as results are. */
    void alone(Returned item) {
        order.arrived(item, release);
    }

    /** A burst of returns was released: the shared meters get what it counted. */
    void flush() {
        tally.flush();
    }

    /** The run ended: the meters get what is still counted here, and nothing more is awaited. */
    void end() {
        tally.flush(); // empty after every burst, but what it holds must not outlive the run
        order.clear();
    }

    Map<String, Long> workers() {
        return Map.copyOf(workers);
    }

    RunView.Accuracy accuracy(boolean ended) {
        return accuracy.view(ended);
    }

    private void release(Returned returned) {
        if (returned instanceof Expired item) {
            counts.addExpired();
            modelMeters.expired();
            history.append(item);
            return;
        }
        if (returned instanceof Failed item) {
            counts.addFailed();
            modelMeters.failed();
            history.append(item);
            return;
        }
        Result result = (Result) returned;
        int label = accuracy.count(result); // the label's number, for the kept result too
        long inferenceUs = result.finishedUs() - result.startedUs();
        stats.inferred(inferenceUs, 1);
        tally.inferred(inferenceUs, 1);
        String worker = processed(result.loadedUs(), result.enqueuedUs(), result.dequeuedUs(), result.startedUs(),
                result.finishedUs(), result.batchId(), result.batchSize(), result.worker());
        history.append(worker.equals(result.worker()) ? result : result.byWorker(worker), label);
    }

    /** {@link #release} of the {@code k}th row of a block, read from its columns; its inference time is the block's. */
    private void release(ResultBlock block, int k) {
        TensorRow.Values row = block.row(k);
        int label = accuracy.count(row.label(), block.predictedClass(k), block.prediction(k));
        Item item = block.item(k);
        String worker = processed(item.loadedUs(), item.enqueuedUs(), block.dequeuedUs(k), block.startedUs(),
                block.finishedUs(), block.batchId(), block.batchSize(), block.worker());
        history.append(block, k, label, worker);
    }

    /**
     * Counts one processed item in the run's statistics and the shared meters, from its times (microseconds); its
     * inference time is its caller's to count (a block's, once for its rows).
     * @return the name its worker is counted under: from a broker anything may come, so names are bounded
     */
    private String processed(long loadedUs, long enqueuedUs, long dequeuedUs, long startedUs, long finishedUs,
            long batchId, int batchSize, String worker) {
        counts.addProcessed();
        long queueWaitUs = dequeuedUs - enqueuedUs;
        long totalUs = finishedUs - loadedUs;
        stats.processed(queueWaitUs, totalUs);
        stats.batched(batchId, batchSize, startedUs - dequeuedUs);
        return tally.processed(queueWaitUs, totalUs, worker);
    }
}
