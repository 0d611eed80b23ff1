package dev.mlpipe.stream;

import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.mlpipe.link.Payloads;
import dev.mlpipe.model.Result;
import dev.mlpipe.run.Runs;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where results come back from the model, in process or from the broker: each goes into its run's stream (which
 * orders them, and drops a duplicate that a broker redelivered). Quick and non-blocking, so it runs on the thread that
 * delivers the result.
 */
@ApplicationScoped
public class ResultReceiver {

    private static final Logger LOG = Logger.getLogger(ResultReceiver.class);

    private final Runs runs;

    ResultReceiver(Runs runs) {
        this.runs = runs;
    }

    @Incoming("results-in")
    public CompletionStage<Void> receive(Message<?> message) {
        try {
            runs.record(Payloads.as(message.getPayload(), Result.class));
        } catch (RuntimeException unreadable) {
            LOG.errorf("discarded a message that is not a result: %s", unreadable.getMessage());
        }
        return message.ack();
    }
}
