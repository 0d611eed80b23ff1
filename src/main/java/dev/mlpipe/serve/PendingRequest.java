package dev.mlpipe.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import dev.mlpipe.model.Result;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.ItemQueue;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * One inference request's rows on their way through the model's queue, until it ends in one {@link Outcome}: every
 * row's result, its timeout, no room under the {@code reject} policy, a row that failed, or the client gone. When it
 * ends otherwise than answered, its rows still waiting for room stop waiting and those in the queue are taken out;
 * rows already in inference finish, and it keeps their ids until they come back, so that none counts as unexpected.
 */
public final class PendingRequest {

    private final String id;
    private final ServedModel served;
    private final Item[] items;
    private final Result[] results;
    private final ItemQueue queue;
    private final Consumer<PendingRequest> done;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    // guarded by this
    private final List<Cancellable> waits = new ArrayList<>();
    private int entered;
    private int back;
    private int discarded;
    private boolean ended;

    /** @param done told once it has ended and none of its rows can come back any more */
    PendingRequest(String id, ServedModel served, Item[] items, Consumer<PendingRequest> done) {
        this.id = id;
        this.served = served;
        this.items = items;
        this.results = new Result[items.length];
        this.queue = served.model().queue();
        this.done = done;
    }

    public String id() {
        return id;
    }

    /** Completes once, with how it ended. */
    public CompletionStage<Outcome> outcome() {
        return outcome;
    }

    /** The client went away: nobody waits for an answer any more. */
    public void cancel() {
        end(new Outcome.Cancelled());
    }

    /**
     * Its rows enter the queue: those there is room for at once, the rest waiting for room ({@code wait}) or, when
     * there is none, the request ends refused.
     */
    void enter(boolean wait) {
        int now = queue.enterNow(items, 0, items.length);
        synchronized (this) {
            entered += now;
        }
        for (int row = now; row < items.length && !isEnded(); row++) {
            Cancellable waiting = queue.enter(items[row], wait, this::settled);
            synchronized (this) {
                if (!ended) {
                    waits.add(waiting);
                    continue;
                }
            }
            waiting.cancel();
        }
    }

    private synchronized boolean isEnded() {
        return ended;
    }

    /** A row found its place, or (null) none when it could not wait. */
    private void settled(Item entered) {
        if (entered == null) {
            end(Outcome.Refused.full("model '" + served.model().name() + "' has no room for the request's "
                    + items.length + " rows (its queue holds " + queue.capacity() + "); try again"));
            return;
        }
        boolean late;
        synchronized (this) {
            this.entered++;
            late = ended;
        }
        if (late) {
            takeOut(); // it ended while the row waited: the row does not stay
        }
    }

    void accept(List<Result> returned, int from, int to) {
        boolean all;
        synchronized (this) {
            for (int i = from; i < to; i++) {
                Result result = returned.get(i);
                int row = (int) result.seq() - 1;
                if (row >= 0 && row < results.length && results[row] == null) {
                    results[row] = result;
                    back++;
                }
            }
            all = back == results.length;
        }
        if (all) {
            end(new Outcome.Answered(results));
        }
        forgetIfQuiet();
    }

    void expired(Expired row) {
        synchronized (this) {
            back++;
        }
        end(Outcome.Refused.timedOut("row " + (row.seq() - 1) + " waited in the queue of model '"
                + served.model().name() + "' longer than the request's timeout, and was not run"));
        forgetIfQuiet();
    }

    void failed(Failed row) {
        synchronized (this) {
            back++;
        }
        end(Outcome.Refused.failed("row " + (row.seq() - 1) + " failed in model '" + served.model().name() + "': "
                + row.reason()));
        forgetIfQuiet();
    }

    /** Its time is up: if it has not ended, it ends as timed out. */
    void timedOut(String message) {
        end(Outcome.Refused.timedOut(message));
    }

    /** Ends with {@code how}, unless it has ended already. @return whether this ended it */
    boolean end(Outcome how) {
        List<Cancellable> stop;
        synchronized (this) {
            if (ended) {
                return false;
            }
            ended = true;
            stop = List.copyOf(waits);
            waits.clear();
        }
        if (!(how instanceof Outcome.Answered)) {
            stop.forEach(Cancellable::cancel);
            takeOut();
        }
        outcome.complete(how);
        forgetIfQuiet();
        return true;
    }

    private void takeOut() {
        int removed = queue.discard(id);
        synchronized (this) {
            discarded += removed;
        }
        forgetIfQuiet();
    }

    /** Once it has ended and no row of it is in the queue or the model, nothing of it can come back. */
    private void forgetIfQuiet() {
        boolean quiet;
        synchronized (this) {
            quiet = ended && entered - discarded - back <= 0;
        }
        if (quiet) {
            done.accept(this);
        }
    }
}
