package dev.mlpipe.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.config.PipelineSettings;
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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * The models' intake with a broker: items arrive on {@code items-in} from RabbitMQ, from each model's own queue
 * ({@link WorkerModels}), several batches per model slot unacknowledged at a time (each model's prefetch,
 * {@link WorkerPrefetch}). Each model has its own line: its items go through it in batches of what has arrived, up to
 * the model's maximum and for at most its batch delay, at most its concurrency at once, so a slow model never holds
 * back another's items. Results leave on {@code results-out} for the api process, one message per batch. An item is
 * acknowledged only once its batch's results are confirmed by the broker, so the items of a worker that dies are
 * delivered again to another. In one process these channels carry nothing: each model's {@code LocalIntake} takes
 * from its queue instead.
 */
@ApplicationScoped
public class BrokerIntake {

    private static final Logger LOG = Logger.getLogger(BrokerIntake.class);
    /** Anyone who can publish to an items queue can send a flood: a line a minute says it, with a count. */
    private static final RepeatedWarning REJECTED = new RepeatedWarning(LOG, "rejected messages on the items queues",
            Duration.ofMinutes(1));

    private final Emitter<ResultBatch> results;
    private final WorkerModels models;
    private final PipelineMetrics metrics;
    private final Redeliveries redeliveries;
    private final Instance<PoisonItems> poison;
    /** Each model's entrance, by name, serialized: a redelivered item the broker had no room for comes in too. */
    private volatile Map<String, Flow.Processor<Message<Object>, Message<Object>>> entrances = Map.of();
    /** Taking no items (a worker shutting down): what arrives meanwhile is held, unacknowledged. */
    private volatile boolean paused;
    private final Queue<Message<Object>> held = new ConcurrentLinkedQueue<>();
    /** A worker alone counts what it processed: with role all, the runs count it as they take the results. */
    private final boolean countsProcessed;

    /** @param results unbounded: what is on its way is never more than the worker holds, its prefetches */
    BrokerIntake(WorkerModels models, MlpipeConfig config, PipelineMetrics metrics,
            @Channel("results-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<ResultBatch> results,
            Redeliveries redeliveries, Instance<PoisonItems> poison) {
        this.models = models;
        this.metrics = metrics;
        this.results = results;
        this.redeliveries = redeliveries;
        this.poison = poison;
        this.countsProcessed = config.role() == MlpipeConfig.Role.WORKER;
    }

    @Incoming("items-in") // Message<Object>: SmallRye reads the payload type off the signature, and warns on a wildcard
    public Flow.Subscriber<Message<Object>> intake() {
        Map<String, Flow.Processor<Message<Object>, Message<Object>>> lines = new HashMap<>();
        for (WorkerModels.Served model : models.served()) {
            UnicastProcessor<Message<Object>> items = UnicastProcessor.create();
            lines.put(model.name(), items.serialized());
            line(model, items);
        }
        entrances = lines;
        // what arrives is bounded by the prefetches: taken as it comes, and handed to its model's line
        UnicastProcessor<Message<Object>> arriving = UnicastProcessor.create();
        arriving.subscribe().with(this::route, failure -> LOG.errorf(failure, "the models' intake stopped"));
        return arriving;
    }

    /** One model's line: its batches, at most its concurrency of them in the model at once. */
    private void line(WorkerModels.Served model, Multi<Message<Object>> items) {
        PipelineSettings.Settings settings = model.model().settings().now();
        // Mutiny's time windows need a length: with no delay, a batch is what arrived within a millisecond
        Duration window = settings.batchDelayNanos() == 0 ? Duration.ofMillis(1)
                : Duration.ofNanos(settings.batchDelayNanos());
        Multi<List<Message<Object>>> batches = settings.maxBatchSize() == 1
                ? items.map(List::of) // a batch of one waits for nothing
                // a window closing while every slot is busy hands its batch to the buffer: the prefetch bounds it
                : items.group().intoLists().of(settings.maxBatchSize(), window).onOverflow().buffer(model.prefetch());
        batches.onItem().transformToUni(batch -> infer(model, batch)).merge(settings.concurrency())
                .subscribe().with(done -> {
                }, failure -> LOG.errorf(failure, "the intake of model %s stopped", model.name()));
    }

    /**
     * To the line of the model whose queue it came from ({@link ItemsOf}; without, the simulated model's), or, while
     * the intake is paused, held: what arrives then is at most the prefetches.
     */
    private void route(Message<Object> message) {
        if (paused) {
            held.add(message);
            if (!paused) { // resumed meanwhile: it may have drained before this one was held
                resume();
            }
            return;
        }
        String model = message.getMetadata(ItemsOf.class).map(ItemsOf::model).orElse(Models.SIMULATED);
        Flow.Processor<Message<Object>, Message<Object>> line = entrances.get(model);
        if (line == null) { // a queue this worker does not consume: not its to run
            message.nack(new IllegalStateException("this worker has not loaded model " + model));
            return;
        }
        line.onNext(message);
    }

    /**
     * Takes no more items: those the broker has sent but the model has not begun stay unacknowledged, and go back to
     * the broker's queues when the connection closes, for another worker.
     */
    public void stopTaking() {
        paused = true;
    }

    /** Takes items again, those that arrived while it took none first. */
    void resume() {
        paused = false;
        for (Message<Object> message; !paused && (message = held.poll()) != null;) {
            route(message);
        }
    }

    /**
     * Runs what arrived together as one batch on its model: a message that is not an item is rejected on its own, an
     * item past its deadline goes back expired (it waited in the broker's queue too long: not run, and its run hears
     * so), the rest is one inference.
     */
    private Uni<Void> infer(WorkerModels.Served model, List<Message<Object>> messages) {
        long dequeuedNanos = System.nanoTime();
        long nowUs = Clock.usOf(dequeuedNanos);
        List<Message<?>> taken = new ArrayList<>(messages.size());
        List<Item> batch = new ArrayList<>(messages.size());
        List<Expired> expired = new ArrayList<>(0);
        List<Uni<Void>> rejected = new ArrayList<>(0);
        for (Message<?> message : messages) {
            Reading reading = read(message.getPayload());
            if (reading.rejection() != null) {
                rejected.add(reject(model.name(), message, reading.rejection()));
                continue;
            }
            Delivery delivery = message.getMetadata(Delivery.class).orElse(Delivery.FIRST);
            if (delivery.redelivered()) {
                redelivered(model.name(), message, delivery, reading.item());
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
            done = Uni.createFrom().<ResultBatch>emitter(emitter -> {
                ResultBatch now = model.model().runner().infer(batch, null, dequeuedNanos, emitter::complete);
                if (now != null) {
                    emitter.complete(now);
                }
            }).invoke(outcome -> {
                count(model.name(), outcome.results());
                send(new ResultBatch(outcome.results(), expired, outcome.failed()), taken);
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
    private void redelivered(String model, Message<?> message, Delivery delivery, Item item) {
        if (!redeliveries.dead(delivery)) {
            redeliveries.again(model, item, delivery, taken -> {
                if (taken) {
                    message.ack();
                } else {
                    // the items queue is full (loaders keep it so): handed back, it would come here again at once
                    // and fill the prefetch, so it runs now, its count where it was
                    entrances.get(model).onNext(message
                            .withMetadata(Metadata.of(new Delivery(false, delivery.failedBefore()), new ItemsOf(model)))
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
    private void count(String model, List<Result> results) {
        if (countsProcessed) {
            PipelineMetrics.Tally tally = metrics.of(model).tally((worker, items) -> {
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
     * Anyone who can publish to an items queue can send anything: what is not an item a run could have made is
     * acknowledged (delivered again it would fail again, for ever), counted, logged once, and the intake goes on.
     */
    private Uni<Void> reject(String model, Message<?> message, String why) {
        metrics.of(model).rejected();
        REJECTED.warn("rejected a message on the items queue of model " + model + ": " + LogText.of(why, 200)
                + "; it began " + LogText.of(text(message.getPayload())));
        return Uni.createFrom().completionStage(message.ack());
    }

    private static String text(Object payload) {
        return payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(payload);
    }
}
