package dev.mlpipe.link;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Uni;

/**
 * Publisher confirms that always come. The Vert.x RabbitMQ publisher under the connector (vertx-rabbitmq-client 4.5,
 * {@code RabbitMQPublisherImpl}) can leave a message neither confirmed nor refused: when it replaces its channel after
 * a connection loss it forgets the confirms it was waiting for; a message it writes again after a failed write is no
 * longer tracked; and a confirm of several messages at once stops at the first one it waits for with a higher number,
 * so one that is never confirmed makes it drop later ones. After a broker restart a loader was seen to stall once
 * every twenty items or so. Whoever waits for such a confirm waits for ever: an api loader for room, a worker to
 * acknowledge its items, which then hold the worker's prefetch, so that it is sent nothing more. A confirm that has
 * not come within {@link #TIMEOUT} therefore counts as a refusal: the api publishes the item again, a worker hands its
 * items back to the broker's queue. Should the broker have kept the message after all, the api drops the second result
 * (each run keeps one result per seq).
 */
final class Confirms {

    /** Far beyond a confirm's usual milliseconds, and short, as each lost one costs a loader this long. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private Confirms() {
    }

    /**
     * A message whose outcome is told once: {@code true} when the broker confirms it, {@code false} when it refuses it
     * or has said nothing within {@code timeout}; what comes later is ignored.
     */
    static <T> Message<T> awaited(T payload, Duration timeout, Consumer<Boolean> settled) {
        CompletableFuture<Boolean> confirmed = new CompletableFuture<>();
        Uni.createFrom().completionStage(confirmed).ifNoItem().after(timeout).recoverWithItem(false)
                .subscribe().with(settled);
        return Message.of(payload, () -> {
            confirmed.complete(true);
            return DONE;
        }, refused -> {
            confirmed.complete(false);
            return DONE;
        });
    }
}
