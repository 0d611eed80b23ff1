package dev.mlpipe.run;

import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.mlpipe.link.BrokerQueue;
import dev.mlpipe.link.Payloads;
import dev.mlpipe.model.ResultBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where results come back from workers through the broker ({@code results-in}): each, and each item a worker found
 * past its deadline, goes into its run, which orders them and drops one the broker delivered twice, and the queue
 * stops keeping the item to publish again after a reconnection ({@link BrokerQueue#returned}). Quick and
 * non-blocking, so it runs on the thread that delivers them.
 * In one process results reach the runs without a channel ({@code model.LocalIntake}).
 */
@ApplicationScoped
public class ResultReceiver {

    private static final Logger LOG = Logger.getLogger(ResultReceiver.class);

    private final Runs runs;
    private final BrokerQueue queue;

    ResultReceiver(Runs runs, BrokerQueue queue) {
        this.runs = runs;
        this.queue = queue;
    }

    @Incoming("results-in")
    public CompletionStage<Void> receive(Message<?> message) {
        try {
            ResultBatch batch = Payloads.as(message.getPayload(), ResultBatch.class);
            runs.accept(batch.results());
            batch.expired().forEach(runs::expired);
            batch.failed().forEach(runs::failed);
            batch.results().forEach(queue::returned);
            batch.expired().forEach(queue::returned);
            batch.failed().forEach(queue::returned);
        } catch (RuntimeException unreadable) {
            LOG.errorf("discarded a message that is not a batch of results: %s", unreadable.getMessage());
        }
        return message.ack();
    }
}
