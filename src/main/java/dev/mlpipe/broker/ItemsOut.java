package dev.mlpipe.broker;

import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The outgoing items channel, {@code items-out}, shared by every model's {@link BrokerQueue}: an {@code Item} or an
 * {@link ItemMessage} a message. A bean of its own, made
 * at the first item sent: the models and their queues are made at start, before SmallRye has wired its emitters.
 */
@ApplicationScoped
class ItemsOut implements Emitter<Object> {

    private final Emitter<Object> link;

    /**
     * @param link unbounded: each loader has at most one item on its way one at a time, the runs that may be active at
     *        once are bounded ({@code mlpipe.runs.max-active}), and items entered a chunk at once by the capacities
     */
    ItemsOut(@Channel("items-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<Object> link) {
        this.link = link;
    }

    @Override
    public CompletionStage<Void> send(Object payload) {
        return link.send(payload);
    }

    @Override
    public <M extends Message<? extends Object>> void send(M message) {
        link.send(message);
    }

    @Override
    public void complete() {
        link.complete();
    }

    @Override
    public void error(Exception e) {
        link.error(e);
    }

    @Override
    public boolean isCancelled() {
        return link.isCancelled();
    }

    @Override
    public boolean hasRequests() {
        return link.hasRequests();
    }
}
