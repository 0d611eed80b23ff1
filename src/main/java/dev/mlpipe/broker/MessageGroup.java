package dev.mlpipe.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.eclipse.microprofile.reactive.messaging.Message;

import dev.mlpipe.model.ModelBackend;
import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBatch;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * The items of the messages a worker's model slot took together, one message of one item or several, run on the model
 * in chunks of at most its {@code max-batch-size}, one after the other. An item past its deadline when its chunk starts
 * goes back expired, unrun. Results a chunk gives at once (a model that takes no time) travel with the next ones, in one
 * message; before waiting on a chunk that takes time, what is gathered is sent, so a slow model's results leave as each
 * chunk ends. The messages are acknowledged once every results message of theirs is confirmed, and refused (back to
 * the broker's queue, to be delivered again whole) if one was not.
 */
final class MessageGroup {

    // phases of one chunk's call into the model: its results came before the call returned, or the call returned first
    private static final int CALLING = 0;
    private static final int CAME_FIRST = 1;
    private static final int WAITING = 2;

    private final ModelBackend model;
    private final int maxBatchSize;
    private final List<Message<?>> messages;
    private final List<Item> items;
    /** When each item's message was taken into its batch (null: as its chunk starts). */
    private final long[] takenUs;
    /** When the first chunk started: a later chunk's wait for the earlier ones is not a wait for its batch. */
    private volatile long firstStartedUs = -1;
    /** Sends a results message; its consumer hears whether the broker confirmed it. */
    private final BiConsumer<ResultBatch, Consumer<Boolean>> send;
    private final List<Result> results = new ArrayList<>();
    private final List<Expired> expired = new ArrayList<>(0);
    private final List<Failed> failed = new ArrayList<>(0);
    /** Results messages not yet confirmed, and one more until the last chunk is done. */
    private final AtomicInteger unsettled = new AtomicInteger(1);
    private volatile boolean refused;
    private final AtomicInteger phase = new AtomicInteger();
    private volatile ResultBatch cameFirst;

    /**
     * @param items the messages' items, in their order
     * @param takenUs when each item's message was taken into a batch that waited for more (its batch wait); null
     */
    MessageGroup(ModelBackend model, int maxBatchSize, List<Message<?>> messages, List<Item> items, long[] takenUs,
            BiConsumer<ResultBatch, Consumer<Boolean>> send) {
        this.model = model;
        this.maxBatchSize = maxBatchSize;
        this.messages = messages;
        this.items = items;
        this.takenUs = takenUs;
        this.send = send;
    }

    /** Runs every chunk; done once the last one's results are sent (their confirm may come later). */
    Uni<Void> run() {
        return Uni.createFrom().emitter(done -> from(0, done));
    }

    /** Runs the chunks from {@code from} on, on this thread while the model answers at once. */
    private void from(int from, UniEmitter<? super Void> done) {
        try {
            for (int next = from; next < items.size(); next = Math.min(items.size(), next + maxBatchSize)) {
                int end = Math.min(items.size(), next + maxBatchSize);
                long startedNanos = System.nanoTime();
                long nowUs = Clock.usOf(startedNanos);
                List<Item> chunk = new ArrayList<>(end - next);
                long[] chunkTakenUs = takenUs == null ? null : new long[end - next];
                if (firstStartedUs < 0) {
                    firstStartedUs = nowUs;
                }
                for (int i = next; i < end; i++) {
                    Item item = items.get(i);
                    if (nowUs >= item.expiresUs()) {
                        expired.add(new Expired(item, nowUs));
                        continue;
                    }
                    if (chunkTakenUs != null) {
                        chunkTakenUs[chunk.size()] = takenUs[i] + (nowUs - firstStartedUs);
                    }
                    chunk.add(item);
                }
                if (chunk.isEmpty()) {
                    continue;
                }
                ResultBatch now = infer(chunk, chunkTakenUs, startedNanos, end, done);
                if (now == null) {
                    return; // goes on where its results come
                }
                gather(now);
            }
            sendGathered();
            settled(true);
        } catch (RuntimeException e) {
            settled(false); // its messages go back to the queue
            done.fail(e);
            return;
        }
        done.complete(null);
    }

    /** @return the chunk's outcome if it came before the call returned; else null, and it goes on from {@code end} */
    private ResultBatch infer(List<Item> chunk, long[] chunkTakenUs, long startedNanos, int end,
            UniEmitter<? super Void> done) {
        phase.set(CALLING);
        ResultBatch now;
        try {
            now = model.infer(chunk, chunkTakenUs, startedNanos, later -> {
                cameFirst = later; // before the phase: the caller reads it once it sees CAME_FIRST
                if (!phase.compareAndSet(CALLING, CAME_FIRST)) {
                    gather(later);
                    from(end, done);
                }
            });
        } catch (RuntimeException failure) { // each item's outcome: its run counts it failed and goes on
            now = new ResultBatch(List.of(), List.of(), chunk.stream()
                    .map(item -> new Failed(item, Clock.nowUs(), "its inference failed: " + failure)).toList());
        }
        if (now != null) {
            return now;
        }
        sendGathered(); // while the model works on this chunk
        return phase.compareAndSet(CALLING, WAITING) ? null : cameFirst;
    }

    private void gather(ResultBatch outcome) {
        results.addAll(outcome.results());
        failed.addAll(outcome.failed());
    }

    private void sendGathered() {
        if (results.isEmpty() && expired.isEmpty() && failed.isEmpty()) {
            return;
        }
        ResultBatch batch = new ResultBatch(List.copyOf(results), List.copyOf(expired), List.copyOf(failed));
        results.clear();
        expired.clear();
        failed.clear();
        unsettled.incrementAndGet();
        send.accept(batch, this::settled);
    }

    private void settled(boolean confirmed) {
        if (!confirmed) {
            refused = true;
        }
        if (unsettled.decrementAndGet() == 0) {
            for (Message<?> message : messages) {
                if (refused) {
                    message.nack(new IllegalStateException("the broker did not confirm the results of its items"));
                } else {
                    message.ack();
                }
            }
        }
    }
}
