package dev.mlpipe.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBatch;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;

/**
 * A worker's results on their way to the broker, gathered while the broker is behind: a batch's results are sent at
 * once while fewer than {@code maxUnconfirmed} results messages await their confirms, and otherwise wait, with those
 * that come after them, for the next confirm, to leave as one message (once {@code maxResults} or more are gathered,
 * they leave at once). The broker's confirms set the pace, so a worker that is not ahead of the broker sends each
 * batch's results as it ends, with no wait, and one that is (many one-item messages a second) sends a message for many
 * items, each message a persistent publish, a confirm, a delivery and an ack the broker is spared. Each batch's sender
 * hears, once, whether the message that carried its results was confirmed: a refused message hands back the items of
 * every batch it carried.
 */
final class ResultsOut {

    private static final Logger LOG = Logger.getLogger(ResultsOut.class);

    private final BiConsumer<ResultBatch, Consumer<Boolean>> publish;
    private final int maxUnconfirmed;
    private final int maxResults;
    // guarded by this
    private int unconfirmed;
    private List<Result> results = new ArrayList<>();
    private List<Expired> expired = new ArrayList<>(0);
    private List<Failed> failed = new ArrayList<>(0);
    private List<Consumer<Boolean>> senders = new ArrayList<>();

    /**
     * @param publish sends one results message; its consumer hears, once, whether the broker confirmed it
     * @param maxUnconfirmed results messages sent at once before results wait for a confirm
     * @param maxResults results gathered that leave at once, whatever is unconfirmed
     */
    ResultsOut(BiConsumer<ResultBatch, Consumer<Boolean>> publish, int maxUnconfirmed, int maxResults) {
        this.publish = publish;
        this.maxUnconfirmed = maxUnconfirmed;
        this.maxResults = maxResults;
    }

    /** Sends {@code batch} now or with the next confirm; {@code sent} hears whether the broker confirmed it. */
    void send(ResultBatch batch, Consumer<Boolean> sent) {
        Gathered now;
        synchronized (this) {
            if (senders.isEmpty() && unconfirmed < maxUnconfirmed) {
                unconfirmed++;
                now = new Gathered(batch, List.of(sent)); // nothing waits: as it is
            } else {
                results.addAll(batch.results());
                expired.addAll(batch.expired());
                failed.addAll(batch.failed());
                senders.add(sent);
                if (unconfirmed >= maxUnconfirmed && size() < maxResults) {
                    return; // goes with the next confirm
                }
                now = take();
            }
        }
        publish(now);
    }

    /** Results messages on their way and results gathered: what a worker that stops waits for. */
    synchronized int pending() {
        return unconfirmed + senders.size();
    }

    /** Never throws: a message that cannot be sent is refused, and what waits behind it goes on. */
    private void publish(Gathered gathered) {
        try {
            publish.accept(gathered.batch, confirmed -> settled(gathered, confirmed));
        } catch (RuntimeException notSent) { // the channel's emitter is closed: the application is stopping
            LOG.debugf("results not sent, their items go back to the broker's queue: %s", notSent.getMessage());
            settled(gathered, false);
        }
    }

    private void settled(Gathered gathered, boolean confirmed) {
        try {
            for (Consumer<Boolean> sender : gathered.senders) {
                try {
                    sender.accept(confirmed);
                } catch (RuntimeException failure) { // one sender's trouble is not the others'
                    LOG.errorf(failure, "settling a batch's items failed");
                }
            }
        } finally {
            confirmedOne();
        }
    }

    /** A message was settled: what gathered meanwhile leaves now. */
    private void confirmedOne() {
        Gathered now;
        synchronized (this) {
            unconfirmed--;
            if (senders.isEmpty()) {
                return;
            }
            now = take();
        }
        publish(now);
    }

    /** Under the lock: what is gathered, as one message counted unconfirmed. */
    private Gathered take() {
        Gathered gathered = new Gathered(new ResultBatch(results, expired, failed), senders);
        results = new ArrayList<>();
        expired = new ArrayList<>(0);
        failed = new ArrayList<>(0);
        senders = new ArrayList<>();
        unconfirmed++;
        return gathered;
    }

    private int size() {
        return results.size() + expired.size() + failed.size();
    }

    private record Gathered(ResultBatch batch, List<Consumer<Boolean>> senders) {
    }
}
