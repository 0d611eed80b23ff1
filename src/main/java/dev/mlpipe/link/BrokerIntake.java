package dev.mlpipe.link;

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

    /** @param results unbounded: at most {@code mlpipe.model.concurrency} batches are on their way at once */
    BrokerIntake(InferenceStage model, MlpipeConfig config, ChannelRegistry channels,
            @Channel("results-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<ResultBatch> results) {
        this.model = model;
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
        Item item;
        try {
            item = Payloads.as(message.getPayload(), Item.class);
        } catch (RuntimeException unreadable) {
            // not an item: dropped with a word in the log, rather than delivered again for ever or ending the intake
            LOG.errorf("discarded a message that is not an item: %s", unreadable.getMessage());
            return Uni.createFrom().completionStage(message.ack());
        }
        return Uni.createFrom().<List<Result>>emitter(done -> {
            List<Result> now = model.infer(List.of(item), dequeuedNanos, done::complete);
            if (now != null) {
                done.complete(now);
            }
        }).invoke(done -> results.send(Message.of(new ResultBatch(done), () -> message.ack(),
                failure -> message.nack(failure))))
                .replaceWithVoid();
    }
}
