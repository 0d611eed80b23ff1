package dev.mlpipe.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.queue.Item;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * The simulated model: runs a batch of items through the toy model ({@link Prediction}) in the time the items ask,
 * waited out by the {@link InferenceTimer}. Whoever takes items from the queue feeds it: the {@link LocalIntake} in
 * one process, the broker's intake on a worker.
 */
@Singleton // on the path of every batch: no client proxy
public class InferenceStage {

    private final PipelineActivity activity;
    private final InferenceTimer timer;
    private final String worker;

    InferenceStage(PipelineActivity activity, MlpipeConfig config) {
        this.activity = activity;
        this.timer = new InferenceTimer(activity.concurrency());
        this.worker = config.instanceId();
    }

    @PreDestroy
    void stop() {
        timer.close();
    }

    /**
     * Runs one batch, taken from the queue at {@code dequeuedNanos} (a nanoTime).
     *
     * @return the results at once when the batch takes no time; otherwise null, and {@code later} gets them on the
     *         timer's thread
     */
    public List<Result> infer(List<Item> batch, long dequeuedNanos, Consumer<List<Result>> later) {
        int ms = 0;
        for (Item item : batch) {
            ms = Math.max(ms, item.inferenceMs());
        }
        long dequeuedUs = Clock.usOf(dequeuedNanos);
        if (ms == 0) {
            return results(batch, dequeuedUs); // takes no time: no slot is busy for it
        }
        activity.modelStarted();
        timer.sleep(dequeuedNanos, ms).subscribe().with(ignored -> {
            List<Result> results = results(batch, dequeuedUs);
            activity.modelFinished();
            later.accept(results);
        });
        return null;
    }

    private List<Result> results(List<Item> batch, long startedUs) {
        long finishedUs = Clock.nowUs();
        List<Result> out = new ArrayList<>(batch.size());
        for (Item item : batch) {
            out.add(Result.of(item, Prediction.of(item.value()), startedUs, startedUs, finishedUs, worker));
        }
        return out;
    }
}
