package dev.mlpipe.model;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.ItemQueue;
import dev.mlpipe.run.Runs;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The model stage: takes items out of the queue, at most {@code mlpipe.model.concurrency} at a time, and simulates
 * inference with a timer (no thread waits). An item's message is acknowledged only once its result is, which a broker
 * later needs to redeliver the work of a worker that died.
 */
@ApplicationScoped
public class InferenceStage {

    private final ItemQueue queue;
    private final Runs runs;
    private final PipelineActivity activity;
    private final int concurrency;
    /** Ends simulated inferences. Its own thread, so a busy worker pool cannot make an inference run late. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("mlpipe-model", true));

    InferenceStage(ItemQueue queue, Runs runs, PipelineActivity activity) {
        this.queue = queue;
        this.runs = runs;
        this.activity = activity;
        this.concurrency = activity.concurrency();
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    @Incoming("items-in")
    @Outgoing("results-out")
    public Multi<Message<Result>> infer(Multi<Message<Item>> items) {
        return items.onItem().transformToUni(this::infer).merge(concurrency);
    }

    private Uni<Message<Result>> infer(Message<Item> message) {
        long dequeuedUs = Clock.nowUs();
        queue.taken();
        Item item = message.getPayload();
        if (runs.isFinished(item.runId())) {
            // the run was cancelled or failed while this item waited: discard it (the run has counted it)
            return Uni.createFrom().completionStage(message.ack()).map(done -> null);
        }
        activity.modelStarted();
        Uni<Item> working = Uni.createFrom().item(item);
        if (item.inferenceMs() > 0) {
            working = working.onItem().delayIt().onExecutor(timer).by(Duration.ofMillis(item.inferenceMs()));
        }
        return working.map(i -> {
            Result result = Result.of(i, Prediction.of(i.value()), dequeuedUs, dequeuedUs, Clock.nowUs());
            activity.modelFinished();
            return message.withPayload(result);
        });
    }
}
