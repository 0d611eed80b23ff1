package dev.mlpipe.run;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.mlpipe.model.Result;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.observe.RunStats;
import dev.mlpipe.queue.Item;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * One run's state: its counts, the seqs still expected back from the model, its statistics and its stream of events.
 * The loader, the model's results and the API all change it, each under the run's lock, so counts, statistics and
 * events never disagree.
 */
public final class Run {

    /** What every run shares with the others. */
    record Services(PipelineActivity activity, PipelineMetrics metrics, int keptEvents, AtomicInteger subscribers,
            Function<Object, String> json, Consumer<Run> onEnd) {
    }

    private final String id;
    private final long number;
    private final RunSpec spec;
    private final Services services;
    private final Instant createdAt = Instant.now();
    private final RunEvents events;
    private final RunStats stats;

    private volatile RunState state = RunState.RUNNING;
    // the rest is guarded by this
    private long loaded;
    /** Items that entered the queue: each is processed, unless the run ends first. */
    private long entered;
    private long processed;
    private long dropped;
    private long cancelled;
    private int maxDepth;
    private boolean loaderDone;
    private Instant endedAt;
    private String failure;
    private Cancellable loader;
    /** Seqs in the queue or in inference, in load order: the order results are released in. */
    private final ArrayDeque<Long> awaited = new ArrayDeque<>();
    /** Results that overtook an earlier seq (concurrency above 1), held until it arrives. */
    private final Map<Long, Result> early = new HashMap<>();
    /** Items processed, by the worker that processed them. */
    private final Map<String, Long> workers = new TreeMap<>();

    Run(String id, long number, RunSpec spec, Services services) {
        this.id = id;
        this.number = number;
        this.spec = spec;
        this.services = services;
        this.events = new RunEvents(services.keptEvents(), services.subscribers(), services.json());
        this.stats = new RunStats(services.activity());
    }

    public String id() {
        return id;
    }

    long number() {
        return number;
    }

    public RunSpec spec() {
        return spec;
    }

    public RunEvents events() {
        return events;
    }

    public boolean isFinished() {
        return state != RunState.RUNNING;
    }

    /** The id of the end event once the run has ended: a client that has seen it has seen everything. */
    public synchronized long endEventId() {
        return loaded + 1;
    }

    synchronized void attach(Cancellable loader) {
        this.loader = loader;
        if (isFinished()) {
            loader.cancel();
        }
    }

    /** The loader drew a value: it becomes the next item, or nothing if the run has ended meanwhile. */
    synchronized Item draw(int value) {
        if (isFinished()) {
            return null;
        }
        long seq = ++loaded;
        awaited.addLast(seq);
        return Item.loaded(id, seq, value, spec.inferenceMs(), Clock.nowUs());
    }

    synchronized void entered(Item item) {
        entered++;
        maxDepth = Math.max(maxDepth, item.queueDepth());
        stats.entered(item.loadedUs(), item.enqueuedUs());
        services.metrics().loaderBlocked(item.enqueuedUs() - item.loadedUs());
    }

    synchronized void dropped(Item item) {
        if (!isFinished() && awaited.peekLast() != null && awaited.peekLast() == item.seq()) {
            awaited.removeLast();
            dropped++;
            services.metrics().dropped();
        }
    }

    /** Items in the queue or in inference whose results this run still awaits. */
    synchronized long inFlight() {
        return isFinished() ? 0 : entered - processed;
    }

    synchronized void loaderFinished() {
        loaderDone = true;
        completeIfDone();
    }

    /** A result came back: released to the stream in load order, once; duplicates and latecomers are ignored. */
    synchronized void record(Result result) {
        if (isFinished() || !awaited.contains(result.seq())) {
            return;
        }
        if (awaited.peekFirst() != result.seq()) {
            early.put(result.seq(), result);
            return;
        }
        release(result);
        for (Result next; !awaited.isEmpty() && (next = early.remove(awaited.peekFirst())) != null;) {
            release(next);
        }
        completeIfDone();
    }

    /** @return whether this call ended the run; cancelling an ended run changes nothing */
    boolean cancel() {
        synchronized (this) {
            if (isFinished()) {
                return false;
            }
            end(RunState.CANCELLED, null);
        }
        stopLoading();
        return true;
    }

    synchronized void fail(String message) {
        if (!isFinished()) {
            end(RunState.FAILED, message);
        }
    }

    /**
     * The loader stops (outside the run's lock: a loader waiting for room may be entering an item under it). On its
     * own, at shutdown: what is already queued may still be processed.
     */
    void stopLoading() {
        Cancellable toCancel;
        synchronized (this) {
            toCancel = loader;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
    }

    /** The service is shutting down now: a run still going ends interrupted, with what it has. */
    synchronized void interrupt() {
        if (!isFinished()) {
            end(RunState.INTERRUPTED, "the service shut down before the run ended");
        }
    }

    /** Sends the run's live view to its stream as a {@code stats} event (not kept, not replayed). */
    synchronized void publishStats() {
        if (!isFinished()) {
            events.publishStats(new RunEvent(0, RunEvent.STATS, view(), services.json()));
        }
    }

    public synchronized RunView view() {
        int depth = services.activity().depth();
        return new RunView(id, state, RunView.Spec.of(spec), new RunView.Counts(loaded, processed, dropped, cancelled),
                new RunView.Queue(services.activity().capacity(), depth, Math.round(stats.meanDepth() * 100) / 100.0,
                        maxDepth),
                stats.snapshot(loaded, processed, dropped), Map.copyOf(workers), events.subscribers(), createdAt,
                endedAt, failure);
    }

    private void release(Result result) {
        awaited.removeFirst();
        processed++;
        long queueWaitUs = result.dequeuedUs() - result.enqueuedUs();
        long inferenceUs = result.finishedUs() - result.startedUs();
        long totalUs = result.finishedUs() - result.loadedUs();
        stats.processed(queueWaitUs, inferenceUs, totalUs);
        String worker = result.worker() == null ? "unnamed" : result.worker(); // from a broker, anything may come
        services.metrics().processed(queueWaitUs, inferenceUs, totalUs, worker);
        workers.merge(worker, 1L, Long::sum);
        events.append(new RunEvent(result.seq(), RunEvent.RESULT, result, services.json()));
    }

    private void completeIfDone() {
        if (loaderDone && awaited.isEmpty() && !isFinished()) {
            end(RunState.COMPLETED, null);
        }
    }

    private void end(RunState finalState, String message) {
        state = finalState;
        failure = message;
        endedAt = Instant.now();
        cancelled = loaded - processed - dropped;
        awaited.clear();
        early.clear();
        stats.end();
        services.metrics().cancelled(cancelled);
        events.append(new RunEvent(loaded + 1, RunEvent.END, view(), services.json()));
        events.close();
        services.onEnd().accept(this);
    }
}
