package dev.mlpipe.queue;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bounded FIFO queue between the loaders and the model, shared by all runs. Items travel on the {@code items-out}
 * channel, but only with a place taken from {@link Places}: that, not the channel's buffer, is the bound, so the
 * capacity can change at run time and a loader never trips over an emitter that throws when its buffer is full.
 */
@ApplicationScoped
public class ItemQueue {

    private final Places places;
    private final Emitter<Item> link;

    ItemQueue(PipelineActivity activity,
            @Channel("items-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<Item> link) {
        this.places = new Places(activity.capacity(), activity);
        this.link = link;
    }

    /** Waits for room, then enqueues; as Python's {@code queue.put}. Completes with the item as it entered. */
    public Uni<Item> put(Item item) {
        return places.take().map(depth -> send(item, depth));
    }

    /** Enqueues when there is room; as Python's {@code queue.put_nowait}. @return the item as it entered, or null */
    public Item offer(Item item) {
        int depth = places.tryTake();
        return depth < 0 ? null : send(item, depth);
    }

    /** The model took an item out: its place is free for the next loader. */
    public void taken() {
        places.giveBack();
    }

    public int depth() {
        return places.used();
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
