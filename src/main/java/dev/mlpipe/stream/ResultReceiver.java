package dev.mlpipe.stream;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.mlpipe.model.Result;
import io.smallrye.common.annotation.NonBlocking;
import dev.mlpipe.run.Runs;
import jakarta.enterprise.context.ApplicationScoped;

/** Where results come back from the model: each goes into its run's stream (which orders and dedupes them). */
@ApplicationScoped
public class ResultReceiver {

    private final Runs runs;

    ResultReceiver(Runs runs) {
        this.runs = runs;
    }

    /** Quick and non-blocking: runs on the thread that delivers the result instead of hopping to a worker. */
    @Incoming("results-in")
    @NonBlocking
    public void receive(Result result) {
        runs.record(result);
    }
}
