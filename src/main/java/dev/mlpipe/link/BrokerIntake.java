package dev.mlpipe.link;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.model.InferenceStage;
import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBatch;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Item;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The model's intake with a broker: items arrive on {@code items-in} from RabbitMQ, at most
 * {@code mlpipe.model.concurrency} unacknowledged at a time (the channel's prefetch), go through the model as they
 * come, and their results leave on {@code results-out} for the api process. An item is acknowledged only once its
 * result is confirmed by the broker, so the items of a worker that dies are delivered again to another. In one process
 * these channels carry nothing: the {@code LocalIntake} takes from the queue instead.
 */
@ApplicationScoped
public class BrokerIntake {

    private static final Logger LOG = Logger.getLogger(BrokerIntake.class);

    private final InferenceStage model;
    private final Emitter<ResultBatch> results;
    private final int concurrency;
    private final ChannelRegistry channels;
    private final PipelineMetrics metrics;

    /** @param results unbounded: at most {@code mlpipe.model.concurrency} batches are on their way at once */
    BrokerIntake(InferenceStage model, MlpipeConfig config, ChannelRegistry channels, PipelineMetrics metrics,
            @Channel("results-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<ResultBatch> results) {
        this.model = model;
        this.metrics = metrics;
        this.results = results;
        this.concurrency = config.model().concurrency();
        this.channels = channels;
    }

    @Incoming("items-in")
    public Flow.Subscriber<Message<?>> intake() {
        UnicastProcessor<Message<?>> items = UnicastProcessor.create();
        items.onItem().transformToUni(this::infer).merge(concurrency)
                .subscribe().with(done -> {
                }, failure -> LOG.errorf(failure, "the model's intake stopped"));
        return items;
    }

    /**
     * Takes no more items: those the broker has sent but the model has not begun go back to the broker's queue when the
     * connection closes, for another worker. Only a broker's intake can pause (the {@code broker} profile makes it
     * pausable).
     */
    public void stopTaking() {
        PausableChannel intake = channels.getPausable("items-in");
        if (intake != null) {
            intake.pause();
        }
    }

    private Uni<Void> infer(Message<?> message) {
        long dequeuedNanos = System.nanoTime();
        Reading reading = read(message.getPayload());
        if (reading.rejection() != null) {
            return reject(message, reading.rejection());
        }
        Item item = reading.item();
        long nowUs = Clock.usOf(dequeuedNanos);
        if (nowUs >= item.expiresUs()) {
            // it waited in the broker's queue past its run's deadline: not run, and the run hears so
            send(new ResultBatch(List.of(), List.of(new Expired(item, nowUs))), message);
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().<List<Result>>emitter(done -> {
            List<Result> now = model.infer(List.of(item), dequeuedNanos, done::complete);
            if (now != null) {
                done.complete(now);
            }
        }).invoke(done -> send(new ResultBatch(done), message))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> reject(message, "its inference failed: " + failure));
    }

    /** Sends what became of an item; the item is acknowledged once the broker has confirmed that. */
    private void send(ResultBatch batch, Message<?> message) {
        results.send(Message.of(batch, () -> message.ack(), failure -> message.nack(failure)));
    }

    /** The item a message carries, or why it carries none a run could have made (then {@code item} is null). */
    record Reading(Item item, String rejection) {
    }

    /** Never throws: whatever a message holds is read as an item or a rejection ({@code ItemReaderFuzzTest}). */
    static Reading read(Object payload) {
        Item item;
        try {
            item = Payloads.as(payload, Item.class);
        } catch (RuntimeException unreadable) {
            return new Reading(null, "not an item (" + unreadable.getMessage() + ")");
        }
        String flaw = item.flaw();
        return flaw == null ? new Reading(item, null) : new Reading(null, flaw);
    }

    /**
     * Anyone who can publish to the items queue can send anything: what is not an item a run could have made is
     * acknowledged (delivered again it would fail again, for ever), counted, logged once, and the intake goes on.
     */
    private Uni<Void> reject(Message<?> message, String why) {
        metrics.rejected();
        LOG.warnf("rejected a message on the items queue: %s; it began %s", why, excerpt(message.getPayload()));
        return Uni.createFrom().completionStage(message.ack());
    }

    private static String excerpt(Object payload) {
        String text = payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(payload);
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }
}
