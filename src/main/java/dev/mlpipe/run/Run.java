package dev.mlpipe.run;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import dev.mlpipe.load.LoaderEvents;
import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBlock;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.LatencyDistribution;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.observe.RunSeries;
import dev.mlpipe.observe.RunStats;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.Returned;
import dev.mlpipe.queue.TensorRow;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * One run's state: its counts, its statistics and its kept events. The loader (through {@link LoaderEvents}), the
 * model's results and the API all change it, each under the run's lock, so counts, statistics and events never
 * disagree. What reaches beyond the run (telling its readers, stopping its loader, telling {@link Runs} it ended)
 * happens after the lock is let go.
 */
public final class Run implements LoaderEvents {

    private final String id;
    private final long number;
    private final RunView.Spec spec;
    private final RunLabel label;
    private final int inferenceMs;
    private final int priority;
    private final int deadlineMs;
    private final PipelineActivity activity;
    private final PipelineMetrics metrics;
    /** The meters of the model the run feeds: its items' outcomes and times count there. */
    private final PipelineMetrics.ModelMeters modelMeters;
    private final History history;
    private final Consumer<Run> onEnd;
    private final Instant createdAt = Instant.now();
    private final RunStats stats;
    private final CompletableFuture<Run> end = new CompletableFuture<>();

    private volatile RunState state = RunState.RUNNING;
    // the rest is guarded by this
    private final RunCounts counts = new RunCounts();
    private boolean loaderDone;
    private Instant endedAt;
    private String failure;
    private Cancellable loader;
    /** What comes back, released in load order and counted: changed under the lock too. */
    private final RunReturns returns;

    Run(String id, long number, RunSpec spec, PipelineActivity activity, PipelineMetrics metrics, History history,
            Consumer<Run> onEnd) {
        this(id, number, spec, RunLabel.NONE, activity, metrics, history, onEnd);
    }

    /** @param onEnd told once the run has ended, outside its lock */
    Run(String id, long number, RunSpec spec, RunLabel label, PipelineActivity activity, PipelineMetrics metrics,
            History history, Consumer<Run> onEnd) {
        this.id = id;
        this.number = number;
        this.spec = RunView.Spec.of(spec);
        this.label = label;
        this.inferenceMs = spec.inferenceMs();
        this.priority = spec.priority();
        this.deadlineMs = spec.deadlineMs();
        this.activity = activity;
        this.metrics = metrics;
        this.history = history;
        this.onEnd = onEnd;
        this.stats = new RunStats(activity, id);
        this.modelMeters = metrics.of(spec.model());
        this.returns = new RunReturns(counts, stats, history, metrics, modelMeters);
    }

    public String id() {
        return id;
    }

    /** The sweep that started it; null for a run of its own. */
    String sweepId() {
        return label.sweepId();
    }

    long number() {
        return number;
    }

    public History history() {
        return history;
    }

    public boolean isFinished() {
        return state != RunState.RUNNING;
    }

    /** Completes once the run has ended, after the runs heard of it: what a sweep waits for before its next run. */
    public CompletionStage<Run> whenEnded() {
        return end;
    }

    /** Share of its processed items whose total time was at most {@code ms}. */
    public synchronized double processedWithin(int ms) {
        return stats.totalWithin(ms * 1000L);
    }

    synchronized void attach(Cancellable loader) {
        this.loader = loader;
    }

    // ---- what the loader tells the run (its thread) ------------------------------------------------------------

    @Override
    public boolean mayLoad(Runnable resume) {
        long toCome = counts.toCome(); // without the lock: this thread alone writes what it reads
        if (history.withinPace(toCome)) {
            return true;
        }
        synchronized (this) {
            stats.pauseStarted(Clock.nowUs());
        }
        if (history.mayLoad(toCome, () -> {
            pauseEnded();
            resume.run();
        })) {
            pauseEnded();
            return true;
        }
        return false;
    }

    @Override
    public synchronized Item draw(int value) {
        if (isFinished()) {
            return null;
        }
        long nowUs = Clock.nowUs();
        stats.drawn(nowUs, 1);
        return loadedItem(value, nowUs);
    }

    @Override
    public int mayLoadNow(int max) {
        return (int) Math.min(max, history.paceRoom(counts.toCome())); // this thread's counts, as in mayLoad
    }

    @Override
    public synchronized int drawAll(int[] values, int n, Item[] into) {
        if (isFinished()) {
            return 0;
        }
        long nowUs = Clock.nowUs();
        stats.drawn(nowUs, n);
        for (int i = 0; i < n; i++) {
            into[i] = loadedItem(values[i], nowUs);
        }
        return n;
    }

    @Override
    public synchronized Item draw(TensorRow row) {
        if (isFinished()) {
            return null;
        }
        long nowUs = Clock.nowUs();
        stats.drawn(nowUs, 1);
        return loadedItem(row, nowUs);
    }

    @Override
    public synchronized int drawAll(TensorRow[] rows, int n, Item[] into) {
        if (isFinished()) {
            return 0;
        }
        long nowUs = Clock.nowUs();
        stats.drawn(nowUs, n);
        for (int i = 0; i < n; i++) {
            into[i] = loadedItem(rows[i], nowUs);
        }
        return n;
    }

    private Item loadedItem(TensorRow row, long nowUs) {
        long seq = counts.load();
        returns.expect(seq);
        return Item.loaded(id, seq, row, priority, deadlineMs, nowUs);
    }

    /** Under the lock: the next item of this run, whose result it now awaits. */
    private Item loadedItem(int value, long nowUs) {
        long seq = counts.load();
        returns.expect(seq);
        return Item.loaded(id, seq, value, inferenceMs, priority, deadlineMs, nowUs);
    }

    @Override
    public synchronized void entered(Item item) {
        enteredOne(item);
    }

    @Override
    public synchronized void enteredAll(Item[] items, int n) {
        for (int i = 0; i < n; i++) {
            enteredOne(items[i]);
        }
    }

    private void enteredOne(Item item) {
        counts.addEntered();
        stats.entered(item.loadedUs(), item.enqueuedUs());
        metrics.loaderBlocked(item.enqueuedUs() - item.loadedUs());
    }

    @Override
    public synchronized void dropped(Item item) {
        if (!isFinished()) {
            returns.forget(item.seq());
            counts.addDropped();
            modelMeters.dropped();
        }
    }

    @Override
    public void refused(Item item, String reason) {
        dropped(item);
        fail(reason);
    }

    @Override
    public void loaderFinished() {
        boolean completed;
        synchronized (this) {
            loaderDone = true;
            loader = null; // what it held (a listed run's values) can go
            completed = completeIfDone();
        }
        if (completed) {
            ended();
        }
    }

    @Override
    public void loaderFailed(String reason) {
        fail(reason);
    }

    /** The loader waits for its slowest lossless client no more. */
    private synchronized void pauseEnded() {
        metrics.loaderPaced(stats.pauseEnded(Clock.nowUs()));
    }

    // ---- results, and the end ----------------------------------------------------------------------------------

    /** Results of this run came back, {@code results[from, to)}: released to readers in load order, each once. */
    void record(List<Result> results, int from, int to) {
        arrive(() -> returns.results(results, from, to));
    }

    /**
     * A tensor batch's results of this run, {@code block[from, to)}: each released from the block's columns when it is
     * the one the run awaits next, as at concurrency 1; one that overtook an earlier item waits as a result.
     */
    void record(ResultBlock block, int from, int to) {
        arrive(() -> returns.block(block, from, to));
    }

    /** One of this run's items waited in the queue past its deadline and left it unrun: released in load order too. */
    void expired(Expired item) {
        returnedAlone(item);
    }

    /** One of this run's items gave no result: released in load order too, and the run goes on. */
    void failed(Failed item) {
        returnedAlone(item);
    }

    /** An item that came back without a result of the model's: released in its place, as results are. */
    private void returnedAlone(Returned item) {
        arrive(() -> returns.alone(item));
    }

    /**
     * Under the run's lock, unless it has ended (its counts are then final): hands what came back to the load order,
     * publishes what that released (results held back behind an earlier item go out with it) and ends the run if that
     * was the last; then, outside the lock, tells the readers.
     */
    private void arrive(Runnable arrivals) {
        boolean completed;
        synchronized (this) {
            if (isFinished()) {
                return;
            }
            arrivals.run();
            returns.flush();
            history.publish();
            completed = completeIfDone();
        }
        history.tellReaders();
        if (completed) {
            ended();
        }
    }

    /** @return whether this call ended the run; cancelling an ended run changes nothing */
    public boolean cancel() {
        return endWith(RunState.CANCELLED, null);
    }

    void fail(String message) {
        endWith(RunState.FAILED, message);
    }

    /** The service is shutting down now: a run still going ends interrupted, with what it has. */
    void interrupt() {
        endWith(RunState.INTERRUPTED, "the service shut down before the run ended");
    }

    /**
     * The loader stops; an item it was entering enters all the same. At shutdown a run stops loading but goes on:
     * what is already queued may still be processed.
     */
    void stopLoading() {
        Cancellable toCancel;
        synchronized (this) {
            toCancel = loader;
            loader = null; // a run kept after it ended does not keep what its loader held (a listed run's values)
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
    }

    /** Items in the queue or in inference whose results this run still awaits. */
    synchronized long inFlight() {
        return isFinished() ? 0 : counts.inFlight();
    }

    /**
     * A stats interval ended: the run's series gets a point, and its readers its live view with the series' newest
     * points as a {@code stats} event (not kept, not replayed).
     */
    void tick() {
        LiveView live;
        synchronized (this) {
            if (isFinished()) {
                return;
            }
            stats.sample(counts.processed());
            if (history.readers() == 0) {
                return;
            }
            live = new LiveView(view(), stats.series().tail());
        }
        history.publishStats(live);
    }

    /** The run over time: a point per stats interval, up to now or up to the end. */
    public synchronized RunSeries.View series() {
        return stats.series().all();
    }

    /** The items' total latency as a CDF, up to now or up to the end. */
    public synchronized LatencyDistribution latency() {
        return stats.totalDistribution();
    }

    public synchronized RunView view() {
        int depth = activity.depth();
        RunStats.Depths depths = stats.depths();
        return new RunView(id, label.name(), label.tags(), label.sweepId(), state, spec, counts.view(),
                new RunView.Queue(activity.capacity(), depth, round2(depths.mean()), depths.max(),
                        round2(depths.ownMean()), depths.ownMax(), activity.depthByPriority()),
                stats.snapshot(counts.loaded(), counts.processed(), counts.dropped()), returns.workers(),
                history.readers(), createdAt, endedAt, failure, returns.accuracy(isFinished()));
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** @return whether the run ended now, completed */
    private boolean completeIfDone() {
        if (loaderDone && returns.waiting() == 0 && !isFinished()) {
            end(RunState.COMPLETED, null);
            return true;
        }
        return false;
    }

    private boolean endWith(RunState finalState, String message) {
        synchronized (this) {
            if (isFinished()) {
                return false;
            }
            end(finalState, message);
        }
        ended();
        return true;
    }

    private void end(RunState finalState, String message) {
        state = finalState;
        failure = message;
        endedAt = Instant.now();
        long cancelled = counts.end();
        returns.end();
        metrics.loaderPaced(stats.pauseEnded(Clock.nowUs())); // a run that ends while its loader waits
        stats.end(counts.processed());
        modelMeters.cancelled(cancelled);
        history.end(counts.loaded() + 1, view());
    }

    /** Outside the lock: the readers get the end, the loader stops at once, and the runs hear of it. */
    private void ended() {
        history.tellReaders();
        stopLoading();
        onEnd.accept(this);
        end.complete(this);
    }
}
