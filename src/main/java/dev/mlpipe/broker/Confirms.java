package dev.mlpipe.broker;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * A message sent to the broker whose outcome its sender hears once, as a yes or no: {@code true} when the broker
 * confirms it, {@code false} when it refuses it or its channel closed first ({@link BrokerPublisher} settles every
 * message one way or the other). The api publishes a refused item again or refuses it, by the loader's policy; a worker
 * hands the items of a refused batch of results back to the broker's queue.
 */
final class Confirms {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private Confirms() {
    }

    /** A message whose outcome is told once to {@code settled}; what comes after is ignored. */
    static <T> Message<T> told(T payload, Consumer<Boolean> settled) {
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        outcome.thenAccept(settled);
        return Message.of(payload, () -> {
            outcome.complete(true);
            return DONE;
        }, refused -> {
            outcome.complete(false);
            return DONE;
        });
    }
}
