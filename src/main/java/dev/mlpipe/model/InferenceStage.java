package dev.mlpipe.model;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.link.Payloads;
import dev.mlpipe.link.Persistent;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.ItemQueue;
import dev.mlpipe.run.Runs;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The model stage: takes items out of the queue, at most {@code mlpipe.model.concurrency} at a time, and simulates
 * inference with a timer (no thread of the pipeline waits). An item's message is acknowledged only once its result is, which a broker
 * later needs to redeliver the work of a worker that died.
 */
@ApplicationScoped
public class InferenceStage {

    private static final Logger LOG = Logger.getLogger(InferenceStage.class);
    private static final Object PERSISTENT = Persistent.METADATA.get(OutgoingRabbitMQMetadata.class).orElseThrow();

    private final ItemQueue queue;
    private final Runs runs;
    private final PipelineActivity activity;
    private final int concurrency;
    private final String worker;
    private final boolean brokered;
    private final ChannelRegistry channels;
    private final InferenceTimer timer;
    /**
     * Results leave the model on this thread, so that the model takes its next item as soon as an inference ends
     * instead of after the result has been recorded and streamed.
     */
    private final ExecutorService results = Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("mlpipe-results", true));

    InferenceStage(ItemQueue queue, Runs runs, PipelineActivity activity, MlpipeConfig config,
            ChannelRegistry channels) {
        this.channels = channels;
        this.queue = queue;
        this.runs = runs;
        this.activity = activity;
        this.concurrency = activity.concurrency();
        this.worker = config.instanceId();
        this.brokered = config.broker().enabled();
        this.timer = new InferenceTimer(concurrency);
    }

    @PreDestroy
    void stop() {
        timer.close();
        results.shutdownNow();
    }

    /**
     * Takes no more items: those the broker has sent but the model has not begun go back to the broker's queue when the
     * connection closes, for another worker. Only a broker's intake can pause (the {@code broker} profile makes it
     * pausable); in one process the model keeps draining the queue.
     */
    public void stopTaking() {
        PausableChannel intake = channels.getPausable("items-in");
        if (intake != null) {
            intake.pause();
        }
    }

    @Incoming("items-in")
    @Outgoing("results-out")
    public Multi<Message<Result>> infer(Multi<Message<?>> items) {
        return items.onItem().transformToUni(this::infer).merge(concurrency)
                .emitOn(results);
    }

    private Uni<Message<Result>> infer(Message<?> message) {
        long dequeuedNanos = System.nanoTime();
        long dequeuedUs = Clock.usOf(dequeuedNanos);
        queue.taken();
        Item item;
        try {
            item = Payloads.as(message.getPayload(), Item.class);
        } catch (RuntimeException unreadable) {
            // not an item: dropped with a word in the log, rather than redelivered for ever or ending the stage
            LOG.errorf("discarded a message that is not an item: %s", unreadable.getMessage());
            return discard(message);
        }
        if (runs.isFinished(item.runId())) {
            // the run was cancelled or failed while this item waited: discard it (the run has counted it)
            return discard(message);
        }
        activity.modelStarted();
        Uni<Void> working = item.inferenceMs() > 0 ? timer.sleep(dequeuedNanos, item.inferenceMs()) : Uni.createFrom().voidItem();
        return working.map(done -> {
            Result result = Result.of(item, Prediction.of(item.value()), dequeuedUs, dequeuedUs, Clock.nowUs(),
                    worker);
            activity.modelFinished();
            Message<Result> out = message.withPayload(result);
            return brokered ? out.addMetadata(PERSISTENT) : out; // over a broker: outlives a restart
        });
    }

    /** Acknowledged, so a broker does not deliver it again, and no result: the merge skips a null. */
    private static Uni<Message<Result>> discard(Message<?> message) {
        return Uni.createFrom().completionStage(message.ack()).map(done -> null);
    }
}
