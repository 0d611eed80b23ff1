package dev.mlpipe.queue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.link.Persistent;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bounded FIFO queue between the loaders and the model, shared by all runs. Items travel on the {@code items-out}
 * channel. In one process a loader enters one only with a place taken from {@link Places}: that, not the channel's
 * buffer, is the bound, so the capacity can change at run time and a loader never trips over an emitter that throws
 * when its buffer is full. With a broker, the broker holds the queue and bounds it: each item is published and the
 * publisher's confirm says whether it found room.
 */
@ApplicationScoped
public class ItemQueue {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

    private final Places places;
    private final PipelineActivity activity;
    private final Emitter<Item> link;
    private final boolean brokered;

    ItemQueue(PipelineActivity activity, MlpipeConfig config,
            @Channel("items-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<Item> link) {
        this.places = new Places(activity.capacity(), activity);
        this.activity = activity;
        this.link = link;
        this.brokered = config.broker().enabled();
    }

    /** Whether the queue is the broker's: then {@link #publish} enters items, not put and offer. */
    public boolean brokered() {
        return brokered;
    }

    /**
     * Waits for room, then enqueues; as Python's {@code queue.put}. Hands the item as it entered to {@code entered},
     * on the thread that made room.
     *
     * @return cancels the wait; an item that has been given its place enters all the same
     */
    public Cancellable put(Item item, Consumer<Item> entered) {
        return places.take(depth -> entered.accept(send(item, depth)));
    }

    /** Enqueues when there is room; as Python's {@code queue.put_nowait}. @return the item as it entered, or null */
    public Item offer(Item item) {
        int depth = places.tryTake();
        return depth < 0 ? null : send(item, depth);
    }

    /**
     * With a broker: publishes the item and completes once the broker has confirmed it, with the item as it entered,
     * or with null if the broker refused it (its queue was full, or it could not be reached).
     */
    public Uni<Item> publish(Item item) {
        Item entered = item.enqueued(Clock.nowUs(), activity.depth() + 1);
        CompletableFuture<Item> confirmed = new CompletableFuture<>();
        link.send(Message.of(entered, Persistent.METADATA,
                () -> {
                    confirmed.complete(entered);
                    return DONE;
                },
                refused -> {
                    confirmed.complete(null);
                    return DONE;
                }));
        // a publish lost with the connection is never confirmed: treated as refused, so block publishes it again
        // (should the broker have kept it after all, the api drops the second result)
        return Uni.createFrom().completionStage(confirmed).ifNoItem().after(CONFIRM_TIMEOUT).recoverWithItem(() -> null);
    }

    /** The model took an item out: its place is free for the next loader (the broker keeps its own count). */
    public void taken() {
        if (!brokered) {
            places.giveBack();
        }
    }

    public int depth() {
        return activity.depth();
    }

    public int capacity() {
        return places.capacity();
    }

    private Item send(Item item, int depth) {
        Item entered = item.enqueued(Clock.nowUs(), depth);
        link.send(Message.of(entered)); // a message, so no Uni is made per item for an acknowledgement nobody awaits
        return entered;
    }
}
