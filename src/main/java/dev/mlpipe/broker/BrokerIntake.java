package dev.mlpipe.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

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
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * The models' intake with a broker: items arrive on {@code items-in} from RabbitMQ, from each model's own queue
 * ({@link WorkerModels}), several batches per model slot unacknowledged at a time (each model's prefetch,
 * {@link WorkerPrefetch}). Each model has its own line ({@link WorkerLine}): its messages go through it in batches
 * formed as in one process, at most its concurrency at once, so a slow model never holds back another's items. A
 * message carries one item or several ({@link ItemMessage}): the items of the messages taken together run in chunks of
 * the model's maximum ({@link MessageGroup}). Results leave on {@code results-out} for the api process, a message for
 * the chunks that ended together, and for several batches while the broker is behind ({@link ResultsOut}). A message is
 * acknowledged only once its items' results are confirmed by the broker, so the items of a worker that dies are
 * delivered again to another. In one process these channels carry nothing: each model's {@code LocalIntake} takes from
 * its queue instead.
 */
@ApplicationScoped
public class BrokerIntake {

    private static final Logger LOG = Logger.getLogger(BrokerIntake.class);
    /** Anyone who can publish to an items queue can send a flood: a line a minute says it, with a count. */
    private static final RepeatedWarning REJECTED = new RepeatedWarning(LOG, "rejected messages on the items queues",
            Duration.ofMinutes(1));

    /**
     * Results messages a worker has on their way before further results wait for a confirm ({@link ResultsOut}):
     * enough to keep its prefetch moving while the broker writes one to disk, few enough that a worker ahead of the
     * broker sends its results many to a message.
     */
    private static final int RESULTS_UNCONFIRMED = 4;
    /** Results gathered that leave at once, confirms or not: what a worker holds is bounded by its prefetch anyway. */
    private static final int RESULTS_PER_MESSAGE = 1024;

    private final ResultsOut out;
    private final WorkerModels models;
    private final PipelineMetrics metrics;
    private final Redeliveries redeliveries;
    private final Instance<PoisonItems> poison;
    private final Payloads payloads;
    /** Each model's line, by name: a redelivered item the broker had no room for comes in there too. */
    private volatile Map<String, WorkerLine<Arrival>> entrances = Map.of();
    /** A worker alone counts what it processed: with role all, the runs count it as they take the results. */
    private final boolean countsProcessed;

    /** @param results unbounded: what is on its way is never more than the worker holds, its prefetches */
    BrokerIntake(WorkerModels models, MlpipeConfig config, PipelineMetrics metrics,
            @Channel("results-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<ResultBatch> results,
            Redeliveries redeliveries, Instance<PoisonItems> poison, Payloads payloads) {
        this.models = models;
        this.metrics = metrics;
        this.out = new ResultsOut((batch, confirmed) -> results.send(Confirms.told(batch, confirmed)),
                RESULTS_UNCONFIRMED, RESULTS_PER_MESSAGE);
        this.redeliveries = redeliveries;
        this.poison = poison;
        this.payloads = payloads;
        this.countsProcessed = config.role() == MlpipeConfig.Role.WORKER;
    }

    @Incoming("items-in") // Message<Object>: SmallRye reads the payload type off the signature, and warns on a wildcard
    public Flow.Subscriber<Message<Object>> intake() {
        Map<String, WorkerLine<Arrival>> lines = new HashMap<>();
        for (WorkerModels.Served model : models.served()) {
            lines.put(model.name(), new WorkerLine<>(model.name(), model.model().settings()::now, Arrival::items,
                    (batch, takenUs) -> infer(model, batch, takenUs), Infrastructure.getDefaultWorkerPool()));
        }
        entrances = lines;
        // what arrives is bounded by the prefetches: taken as it comes, and handed to its model's line
        UnicastProcessor<Message<Object>> arriving = UnicastProcessor.create();
        arriving.subscribe().with(this::route, failure -> LOG.errorf(failure, "the models' intake stopped"));
        return arriving;
    }

    /** A message as it arrived, and what it was read as: its line weighs it by its items. */
    record Arrival(Message<Object> message, Reading reading) {

        int items() {
            return reading.items() == null ? 1 : reading.items().size();
        }
    }

    /** Read, and handed to the line of the model whose queue it came from ({@link ItemsOf}; else: simulated). */
    private void route(Message<Object> message) {
        String model = message.getMetadata(ItemsOf.class).map(ItemsOf::model).orElse(Models.SIMULATED);
        WorkerLine<Arrival> line = entrances.get(model);
        if (line == null) { // a queue this worker does not consume: not its to run
            message.nack(new IllegalStateException("this worker has not loaded model " + model));
            return;
        }
        line.offer(new Arrival(message, read(message.getPayload(), payloads)));
    }

    /**
     * Takes no more items: those the broker has sent but the model has not begun stay unacknowledged, and go back to
     * the broker's queues when the connection closes, for another worker.
     */
    public void stopTaking() {
        entrances.values().forEach(WorkerLine::pause);
    }

    /** Results messages on their way and results gathered, whose items are acknowledged once they are confirmed. */
    public int resultsPending() {
        return out.pending();
    }

    /** Messages that arrived and wait, unacknowledged, in no batch yet (all that arrive while it takes none). */
    int held() {
        return entrances.values().stream().mapToInt(WorkerLine::waiting).sum();
    }

    /** Takes items again, those that arrived while it took none first. */
    void resume() {
        entrances.values().forEach(WorkerLine::resume);
    }

    /**
     * Runs what arrived together on its model: a message that is not what a run could have made is rejected on its
     * own, one delivered before is published again or buried ({@link #redelivered}), and the items of the rest run in
     * chunks of the model's {@code max-batch-size} ({@link MessageGroup}).
     */
    private Uni<Void> infer(WorkerModels.Served model, List<Arrival> arrivals, long[] takenUs) {
        List<Message<?>> taken = new ArrayList<>(arrivals.size());
        List<Item> items = new ArrayList<>(arrivals.size());
        // as many as the arrivals hold at most (a rejected one counts one)
        long[] itemsTakenUs = takenUs == null ? null : new long[arrivals.stream().mapToInt(Arrival::items).sum()];
        List<Uni<Void>> rejected = new ArrayList<>(0);
        for (int m = 0; m < arrivals.size(); m++) {
            Message<?> message = arrivals.get(m).message();
            Reading reading = arrivals.get(m).reading();
            if (reading.rejection() != null) {
                rejected.add(reject(model.name(), message, reading.rejection()));
                continue;
            }
            Delivery delivery = message.getMetadata(Delivery.class).orElse(Delivery.FIRST);
            if (delivery.redelivered()) {
                redelivered(model.name(), message, delivery, reading.items());
                continue;
            }
            if (poison.isResolvable() && reading.items().stream().anyMatch(poison.get()::kills)) {
                message.nack(new IllegalStateException("a worker dies on an item of this message (test profile)"));
                continue;
            }
            taken.add(message);
            if (itemsTakenUs != null) {
                Arrays.fill(itemsTakenUs, items.size(), items.size() + reading.items().size(), takenUs[m]);
            }
            items.addAll(reading.items());
        }
        Uni<Void> done = taken.isEmpty() ? Uni.createFrom().voidItem()
                : new MessageGroup(model.model().runner(), model.model().settings().now().maxBatchSize(), taken, items,
                        itemsTakenUs, (batch, confirmed) -> {
                            count(model.name(), batch.results());
                            out.send(batch, confirmed);
                        }).run().onFailure().invoke(failure -> LOG.errorf(failure, "a group of items of model %s "
                                + "failed; its messages go back to the broker's queue", model.name()))
                        .onFailure().recoverWithNull().replaceWithVoid();
        // a rejected message whose acknowledgement fails is the broker's to deliver again: the others run all the same
        return rejected.isEmpty() ? done
                : Uni.join().all(rejected).andCollectFailures().onFailure().recoverWithNull().replaceWith(done);
    }

    /**
     * A message delivered before, whose delivery failed: not run now, but published again whole with its count of
     * failed deliveries; at the limit, a message of several items is split into messages of one with their counts from
     * 0 (so that only an item a worker dies on reaches the dead letters), and a message of one item is sent to the dead
     * letters and its run told it failed. The original is acknowledged once the broker has taken what replaces it;
     * refused, it runs now.
     */
    private void redelivered(String model, Message<?> message, Delivery delivery, List<Item> items) {
        // the items queue is full (several apis fill it): handed back, it would come here again at once and fill the
        // prefetch, so it runs now, its count where it was
        Consumer<Boolean> replaced = taken -> {
            if (taken) {
                message.ack();
            } else {
                entrances.get(model).offer(new Arrival(message
                        .withMetadata(Metadata.of(new Delivery(false, delivery.failedBefore()), new ItemsOf(model)))
                        .withPayload((Object) message.getPayload()), new Reading(items, null)));
            }
        };
        if (!redeliveries.dead(delivery)) {
            redeliveries.again(model, items, delivery, replaced);
            return;
        }
        if (items.size() > 1) {
            redeliveries.split(model, items, replaced);
            return;
        }
        Item item = items.get(0);
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
        out.send(batch, confirmed -> messages.forEach(message -> {
            if (confirmed) {
                message.ack();
            } else {
                message.nack(new IllegalStateException("the broker did not confirm the results of this item"));
            }
        }));
    }

    /**
     * The items a message carries, one or several ({@link ItemMessage}), or why it carries none a run could have made
     * (then {@code items} is null).
     */
    record Reading(List<Item> items, String rejection) {
    }

    /**
     * Never throws: whatever a message holds is read as items or a rejection ({@code ItemReaderFuzzTest}). A JSON
     * array is a message of several items, anything else one item; a message with one item no run could have made is
     * rejected whole.
     */
    static Reading read(Object payload, Payloads payloads) {
        List<Item> items;
        try {
            items = payloads.items(payload);
        } catch (RuntimeException unreadable) {
            return new Reading(null, "not an item (" + unreadable.getMessage() + ")");
        }
        if (items.isEmpty() || items.size() > PipelineSettings.MAX_CHUNK) {
            return new Reading(null, "a message carries 1 to " + PipelineSettings.MAX_CHUNK + " items, not "
                    + items.size());
        }
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            String flaw = item == null ? "null is not an item" : item.flaw();
            if (flaw != null) {
                return new Reading(null, items.size() == 1 ? flaw : "item " + (i + 1) + " of the message: " + flaw);
            }
        }
        return new Reading(items, null);
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
