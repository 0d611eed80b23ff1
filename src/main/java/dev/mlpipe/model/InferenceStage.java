package dev.mlpipe.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.queue.Item;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The simulated model: runs a batch of items through the toy model ({@link Prediction}) as one inference, waited out
 * by the {@link InferenceTimer}. A batch takes what its slowest item asks, times {@code 1 + batchItemCost x (n - 1)}
 * for n items: as on a GPU, a batch costs much less than its items one by one. Whoever takes items from the queue
 * feeds it: the {@link LocalIntake} in one process, the broker's intake on a worker. The bean is the {@code simulated}
 * model's; another model of the simulated backend has an instance of its own ({@link Models}).
 */
@Singleton // on the path of every batch: no client proxy
public class InferenceStage implements ModelBackend {

    private final PipelineActivity activity;
    private final PipelineMetrics.ModelMeters metrics;
    private final InferenceTimer timer;
    private final String worker;
    private final double itemCost;
    private final ResultSink runs;
    private final AtomicLong batches = new AtomicLong();
    /** Batches being waited out, by batch id. */
    private final Map<Long, Sleeping> waits = new ConcurrentHashMap<>();

    @Inject
    InferenceStage(PipelineActivity activity, PipelineMetrics metrics, MlpipeConfig config, ResultSink runs) {
        this(activity, metrics.of(Models.SIMULATED), config.instanceId(), config.simulated().batchItemCost(), runs);
    }

    /** @param runs asked whether a batch's runs have ended already as it starts */
    InferenceStage(PipelineActivity activity, PipelineMetrics.ModelMeters metrics, String worker, double itemCost,
            ResultSink runs) {
        this.runs = runs;
        this.activity = activity;
        this.metrics = metrics;
        this.timer = new InferenceTimer(activity.concurrency());
        this.worker = worker;
        this.itemCost = itemCost;
    }

    @Override
    @PreDestroy
    public void close() {
        timer.close();
    }

    /** A thread per slot, as at start, when the concurrency changes live. */
    @Override
    public void concurrency(int batches) {
        timer.threads(batches);
    }

    /** How long a batch of {@code size} items takes, the slowest of them asking for {@code ms}: in nanoseconds. */
    public static long batchNanos(int ms, int size, double itemCost) {
        return Math.round(ms * 1e6 * (1 + itemCost * (size - 1)));
    }

    @Override
    public ResultBatch infer(List<Item> batch, long[] dequeuedUs, long startedNanos, Consumer<ResultBatch> later) {
        List<Result> now = run(batch, dequeuedUs, startedNanos, results -> later.accept(new ResultBatch(results)));
        return now == null ? null : new ResultBatch(now);
    }

    /**
     * Runs one batch that formed over time: its items were taken from the queue at {@code dequeuedUs} (each its own;
     * null: all as it starts), and it starts at {@code startedNanos}, once full or once it has waited long enough.
     */
    private List<Result> run(List<Item> batch, long[] dequeuedUs, long startedNanos, Consumer<List<Result>> later) {
        int ms = 0;
        for (Item item : batch) {
            ms = Math.max(ms, item.inferenceMs());
        }
        long batchId = batches.incrementAndGet();
        metrics.batch(batch.size());
        long startedUs = Clock.usOf(startedNanos);
        if (ms == 0) {
            return results(batch, dequeuedUs, startedUs, batchId); // takes no time: no slot is busy for it
        }
        activity.modelStarted();
        Sleeping sleeping = new Sleeping();
        waits.put(batchId, sleeping); // before its runs are asked: a run that ends from here on finds it
        sleeping.awaitedBy(batch, runs);
        sleeping.wait = timer.sleep(startedNanos, batchNanos(ms, batch.size(), itemCost), () -> {
            waits.remove(batchId);
            List<Result> results = results(batch, dequeuedUs, startedUs, batchId);
            activity.modelFinished();
            later.accept(results);
        });
        if (sleeping.runs.isEmpty()) { // its runs ended before it started, or while it was being started
            sleeping.wait.endNow();
        }
        return null;
    }

    /**
     * A run ended: a batch of its items alone stops being waited out, so a cancelled run does not hold a model's slot
     * for the rest of a long inference. Its results still go to the runs, which drop them.
     */
    @Override
    public void runEnded(String runId) {
        waits.values().forEach(sleeping -> {
            if (sleeping.runs.remove(runId) && sleeping.runs.isEmpty() && sleeping.wait != null) {
                sleeping.wait.endNow();
            }
        });
    }

    /** A batch being waited out, and the runs whose items it holds that have not ended. */
    private static final class Sleeping {
        final Set<String> runs = ConcurrentHashMap.newKeySet();
        volatile InferenceTimer.Wait wait;

        /**
         * Its items' runs, but those that ended while it formed (their items were taken before they ended). Each is
         * added, then asked: a run that ends meanwhile is either seen ended here or finds itself here to remove.
         */
        void awaitedBy(List<Item> batch, ResultSink sink) {
            for (Item item : batch) {
                if (runs.add(item.runId()) && sink.ended(item.runId())) {
                    runs.remove(item.runId());
                }
            }
        }
    }

    private List<Result> results(List<Item> batch, long[] dequeuedUs, long startedUs, long batchId) {
        long finishedUs = Clock.nowUs();
        int size = batch.size();
        List<Result> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Item item = batch.get(i);
            out.add(Result.of(item, Prediction.of(item.value()), dequeuedUs == null ? startedUs : dequeuedUs[i],
                    startedUs, finishedUs, worker, batchId, size));
        }
        return out;
    }
}
