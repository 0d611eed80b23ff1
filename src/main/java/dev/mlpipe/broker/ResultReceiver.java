package dev.mlpipe.broker;

import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.mlpipe.model.ResultBatch;
import dev.mlpipe.model.ResultSink;
import dev.mlpipe.observe.LogText;
import dev.mlpipe.queue.Expired;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

/**
 * Where results come back from workers through the broker ({@code results-in}): each goes to the runs
 * ({@link ResultSink}, which order them and drop one the broker delivered twice), each item a worker found past its
 * deadline reaches its run as in one process (an {@link Expired} event), and the queue stops keeping the item to
 * publish again after a reconnection ({@link BrokerQueues#returned}). Quick and non-blocking, so it runs on the thread
 * that delivers them.
 * In one process results reach the runs without a channel ({@code model.LocalIntake}).
 */
@ApplicationScoped
public class ResultReceiver {

    private static final Logger LOG = Logger.getLogger(ResultReceiver.class);

    private final ResultSink runs;
    private final Event<Expired> expired;
    private final BrokerQueues queue;
    private final Payloads payloads;

    ResultReceiver(ResultSink runs, Event<Expired> expired, BrokerQueues queue, Payloads payloads) {
        this.runs = runs;
        this.expired = expired;
        this.queue = queue;
        this.payloads = payloads;
    }

    @Incoming("results-in")
    public CompletionStage<Void> receive(Message<?> message) {
        try {
            ResultBatch batch = payloads.results(message.getPayload());
            runs.accept(batch.results());
            batch.expired().forEach(expired::fire);
            batch.failed().forEach(runs::failed);
            batch.results().forEach(queue::returned);
            batch.expired().forEach(queue::returned);
            batch.failed().forEach(queue::returned);
        } catch (RuntimeException unreadable) {
            LOG.errorf("discarded a message that is not a batch of results: %s", LogText.of(unreadable.getMessage(), 200));
        }
        return message.ack();
    }
}
