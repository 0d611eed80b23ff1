package dev.mlpipe.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.model.InferenceStage;
import dev.mlpipe.model.Models;
import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBatch;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.LogText;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.observe.RepeatedWarning;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * The model's intake with a broker: items arrive on {@code items-in} from RabbitMQ, several batches per model slot
 * unacknowledged at a time (the channel's prefetch, {@link WorkerPrefetch}), go through the model in batches of what
 * has arrived, up to the maximum and for at most the batch delay, and their results leave on {@code results-out} for
 * the api process, one message per batch. An item is acknowledged only once its batch's results are confirmed by the
 * broker, so the items of a worker that dies are delivered again to another. In one process these channels carry
 * nothing: the {@code LocalIntake} takes from the queue instead.
 */
@ApplicationScoped
public class BrokerIntake {

    private static final Logger LOG = Logger.getLogger(BrokerIntake.class);
    /** Anyone who can publish to the items queue can send a flood: a line a minute says it, with a count. */
    private static final RepeatedWarning REJECTED = new RepeatedWarning(LOG, "rejected messages on the items queue",
            Duration.ofMinutes(1));

    private final InferenceStage model;
    private final Emitter<ResultBatch> results;
    private final int concurrency;
    private final int maxBatch;
    private final Duration window;
    private final int prefetch;
    private final ChannelRegistry channels;
    private final PipelineMetrics metrics;
    private final Redeliveries redeliveries;
    private final Instance<PoisonItems> poison;
    /** The intake's entrance, serialized: a redelivered item the broker has no room to take again comes in here too. */
    private volatile Flow.Processor<Message<Object>, Message<Object>> entrance;
    /** A worker alone counts what it processed: with role all, the runs count it as they take the results. */
    private final boolean countsProcessed;

    /**
     * @param results unbounded: what is on its way is never more than the worker holds, its prefetch
     * @param prefetch items the broker may send ahead of their acknowledgement ({@link WorkerPrefetch})
     */
    BrokerIntake(InferenceStage model, MlpipeConfig config, ChannelRegistry channels, PipelineMetrics metrics,
            @Channel("results-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<ResultBatch> results,
            @ConfigProperty(name = WorkerPrefetch.KEY) int prefetch, Redeliveries redeliveries,
            Instance<PoisonItems> poison) {
        this.model = model;
        this.metrics = metrics;
        this.results = results;
        this.concurrency = config.simulated().concurrency();
        this.maxBatch = config.simulated().maxBatchSize();
        // Mutiny's time windows need a length: with no delay, a batch is what arrived within a millisecond
        this.window = config.simulated().batchDelay().isZero() ? Duration.ofMillis(1) : config.simulated().batchDelay();
        this.channels = channels;
        this.prefetch = prefetch;
        this.redeliveries = redeliveries;
        this.poison = poison;
        this.countsProcessed = config.role() == MlpipeConfig.Role.WORKER;
    }

    @Incoming("items-in") // Message<Object>: SmallRye reads the payload type off the signature, and warns on a wildcard
    public Flow.Subscriber<Message<Object>> intake() {
        UnicastProcessor<Message<Object>> items = UnicastProcessor.create();
        entrance = items.serialized();
        Multi<List<Message<Object>>> batches = maxBatch == 1
                ? items.map(List::of) // a batch of one waits for nothing
                // a window closing while every slot is busy hands its batch to the buffer: the prefetch bounds it
                : items.group().intoLists().of(maxBatch, window).onOverflow().buffer(prefetch);
        batches.onItem().transformToUni(this::infer).merge(concurrency)
                .subscribe().with(done -> {
                }, failure -> LOG.errorf(failure, "the model's intake stopped"));
        return entrance;
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

    /**
     * Runs what arrived together as one batch: a message that is not an item is rejected on its own, an item past its
     * deadline goes back expired (it waited in the broker's queue too long: not run, and its run hears so), the rest
     * is one inference.
     */
    private Uni<Void> infer(List<Message<Object>> messages) {
        long dequeuedNanos = System.nanoTime();
        long nowUs = Clock.usOf(dequeuedNanos);
        List<Message<?>> taken = new ArrayList<>(messages.size());
        List<Item> batch = new ArrayList<>(messages.size());
        List<Expired> expired = new ArrayList<>(0);
        List<Uni<Void>> rejected = new ArrayList<>(0);
        for (Message<?> message : messages) {
            Reading reading = read(message.getPayload());
            if (reading.rejection() != null) {
                rejected.add(reject(message, reading.rejection()));
                continue;
            }
            Delivery delivery = message.getMetadata(Delivery.class).orElse(Delivery.FIRST);
            if (delivery.redelivered()) {
                redelivered(message, delivery, reading.item());
                continue;
            }
            if (poison.isResolvable() && poison.get().kills(reading.item())) {
                message.nack(new IllegalStateException("a worker dies on this item (test profile)"));
                continue;
            }
            taken.add(message);
            if (nowUs >= reading.item().expiresUs()) {
                expired.add(new Expired(reading.item(), nowUs));
            } else {
                batch.add(reading.item());
            }
        }
        Uni<Void> done;
        if (batch.isEmpty()) {
            if (!taken.isEmpty()) {
                send(new ResultBatch(List.of(), expired, List.of()), taken);
            }
            done = Uni.createFrom().voidItem();
        } else {
            done = Uni.createFrom().<List<Result>>emitter(emitter -> {
                List<Result> now = model.infer(batch, dequeuedNanos, emitter::complete);
                if (now != null) {
                    emitter.complete(now);
                }
            }).invoke(results -> {
                count(results);
                send(new ResultBatch(results, expired, List.of()), taken);
            })
                    // an inference that fails is each item's outcome: its run counts it failed and goes on
                    .onFailure().invoke(failure -> send(new ResultBatch(List.of(), expired, batch.stream()
                            .map(item -> new Failed(item, Clock.nowUs(), "its inference failed: " + failure))
                            .toList()), taken))
                    .onFailure().recoverWithNull().replaceWithVoid();
        }
        return rejected.isEmpty() ? done : Uni.join().all(rejected).andFailFast().replaceWith(done);
    }

    /**
     * An item delivered before, whose delivery failed: not run now, but published again with its count of failed
     * deliveries, or, at the limit, sent to the dead letters and its run told it failed. The original is acknowledged
     * once the broker has taken what replaces it; refused, it goes back to the queue, to come again.
     */
    private void redelivered(Message<?> message, Delivery delivery, Item item) {
        if (!redeliveries.dead(delivery)) {
            redeliveries.again(item, delivery, taken -> {
                if (taken) {
                    message.ack();
                } else {
                    // the items queue is full (loaders keep it so): handed back, it would come here again at once
                    // and fill the prefetch, so it runs now, its count where it was
                    entrance.onNext(message.withMetadata(Metadata.of(new Delivery(false, delivery.failedBefore())))
                            .withPayload((Object) message.getPayload()));
                }
            });
            return;
        }
        redeliveries.bury(item, delivery, buried -> {
            if (buried) {
                send(new ResultBatch(List.of(), List.of(),
                        List.of(new Failed(item, Clock.nowUs(), redeliveries.reason(delivery)))), List.of(message));
            } else {
                message.nack(new IllegalStateException("the broker did not take the dead letter"));
            }
        });
    }

    /** On a worker's own {@code /q/metrics}: its processed items, their times and its name, as a run counts them. */
    private void count(List<Result> results) {
        if (countsProcessed) {
            PipelineMetrics.Tally tally = metrics.of(Models.SIMULATED).tally((worker, items) -> {
            });
            for (Result result : results) {
                tally.processed(result.dequeuedUs() - result.enqueuedUs(), result.finishedUs() - result.startedUs(),
                        result.finishedUs() - result.loadedUs(), result.worker());
            }
            tally.flush();
        }
    }

    /**
     * Sends what became of the items. They are acknowledged once the broker has confirmed that; refused, or lost with
     * the connection ({@link Confirms}), they go back to the broker's queue to be run again.
     */
    private void send(ResultBatch batch, List<Message<?>> messages) {
        results.send(Confirms.told(batch, confirmed -> messages.forEach(message -> {
            if (confirmed) {
                message.ack();
            } else {
                message.nack(new IllegalStateException("the broker did not confirm the results of this item"));
            }
        })));
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
        metrics.of(Models.SIMULATED).rejected(); // the items queue is the simulated model's
        REJECTED.warn("rejected a message on the items queue: " + LogText.of(why, 200) + "; it began "
                + LogText.of(text(message.getPayload())));
        return Uni.createFrom().completionStage(message.ack());
    }

    private static String text(Object payload) {
        return payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(payload);
    }
}
