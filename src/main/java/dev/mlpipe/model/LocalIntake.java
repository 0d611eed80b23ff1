package dev.mlpipe.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.LocalQueue;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * One model's intake in one process (each model has its own, with its own queue: {@link Models}): while one of the
 * model's {@code concurrency} slots is free and items are queued, takes the oldest items from its {@link LocalQueue},
 * up to {@code max-batch-size} with one lock, and runs them as one batch on its {@link ModelBackend}, by the rule a
 * worker follows too ({@link FormingBatch}: with a {@code batch-delay}, a batch that is not full holds its slot and
 * takes items as they come). Finding the queue empty, it asks to be woken by the next item. Results go to the runs
 * ({@link ResultSink}) a burst at a time. The settings may change live ({@link PipelineSettings}): each batch takes
 * the size and delay of the moment it starts forming, and slots come and go as they are changed (fewer: as batches in
 * flight end).
 * <p>
 * With batches of one it runs on whichever thread wakes it (a loader that enqueued an item, the timer that ended an
 * inference), one at a time, as a Mutiny operator runs on the thread that emits to it; only a turn longer than
 * {@link #TURN} batches goes on on a thread of its own. Running always on a thread of its own would cost a wake-up per
 * item each way (BENCHMARKS.md, scenario 1). With larger batches a loader's wake-up runs it on its own thread: run on
 * the loader's, it would take each item as it entered, and batches would never form; the end of an inference runs it
 * on the backend's thread at any batch size, since the queue has filled meanwhile. In one process this replaces the
 * channels a broker needs: the queue is {@link LocalQueue}, and results go straight to their runs.
 */
public final class LocalIntake {

    /** Batches one wake-up runs before handing on to the model's own thread, so a loader is not kept from loading. */
    static final int TURN = 256;
    /**
     * Results held before they go to their runs: a burst shares the runs' locks, and is small enough that its results
     * are still in the processor's cache when their runs read them (a turn's worth is not, at large batches).
     */
    static final int BURST = 512;
    private static final ToIntFunction<Item> ONE_ITEM = item -> 1;

    private final LocalQueue queue;
    private final ModelBackend model;
    private final ResultSink runs;
    private final PipelineSettings settings;
    private final AtomicInteger wip = new AtomicInteger();
    /** Below zero for a while after the concurrency was lowered with batches in flight. */
    private final AtomicInteger freeSlots;
    private final ConcurrentLinkedQueue<ResultBatch> timed = new ConcurrentLinkedQueue<>();
    private final Runnable wake = this::wake;
    private final ExecutorService overflow;
    // whoever holds wip only; handed to the runs and cleared, never kept
    private final List<Result> unsent = new ArrayList<>(BURST);
    /** Wakes the intake when a forming batch has waited long enough; its thread starts with the first such batch. */
    private final ScheduledExecutorService deadlines;
    // a batch forming: whoever holds wip only
    private FormingBatch<Item> forming;
    private final IntFunction<List<Item>> takeMore;

    /** @param name the model's: its threads are named after it */
    LocalIntake(String name, LocalQueue queue, ModelBackend model, ResultSink runs, PipelineSettings settings) {
        this.queue = queue;
        this.model = model;
        this.runs = runs;
        this.settings = settings;
        this.freeSlots = new AtomicInteger(settings.now().concurrency());
        this.overflow = Executors.newSingleThreadExecutor(new DefaultThreadFactory("mlpipe-model-" + name, true));
        this.deadlines = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("mlpipe-batch-" + name, true));
        this.takeMore = count -> queue.take(count, wake);
    }

    void start() {
        wake();
    }

    void stop() {
        overflow.shutdownNow();
        deadlines.shutdownNow();
    }

    /** A live change: the queue's places change now, the slots' count at once (fewer: as batches end). */
    void changed(PipelineSettings.Changed change) {
        queue.resize(change.after().capacity());
        model.concurrency(change.after().concurrency());
        freeSlots.addAndGet(change.after().concurrency() - change.before().concurrency());
        wake();
    }

    /** There may be work: runs the intake here unless it runs elsewhere, in which case that run goes round again. */
    private void wake() {
        if (wip.getAndIncrement() == 0) {
            if (settings.now().maxBatchSize() == 1) { // batches of one run here; larger ones on the intake's own thread
                run(1);
            } else {
                overflow.execute(() -> run(1));
            }
        }
    }

    /** Holding the intake: runs until no wake-up is left unanswered. */
    private void run(int missed) {
        do {
            if (!dispatch()) {
                int owed = missed;
                overflow.execute(() -> run(owed)); // a long turn: the rest on the model's own thread
                return;
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** @return false if it stopped after its turn with items still queued */
    private boolean dispatch() {
        boolean done = true;
        for (int turn = 0; forming != null || freeSlots.get() > 0; turn++) {
            if (turn == TURN) {
                done = false;
                break;
            }
            ResultBatch results;
            if (forming == null) {
                PipelineSettings.Settings now = settings.now(); // read per batch: a live change applies to the next
                int maxBatch = now.maxBatchSize();
                long delayNanos = now.batchDelayNanos();
                List<Item> batch = queue.take(maxBatch, wake);
                if (batch.isEmpty()) {
                    break; // the next item wakes the intake
                }
                freeSlots.decrementAndGet();
                forming = FormingBatch.of(batch, maxBatch, ONE_ITEM, delayNanos, System.nanoTime());
                if (forming != null) { // holds its slot; the deadline wakes the intake
                    deadlines.schedule(wake, delayNanos, TimeUnit.NANOSECONDS);
                    continue;
                }
                results = model.infer(batch, null, System.nanoTime(), this::finishedLater);
            } else {
                if (!forming.filled(takeMore)) {
                    break; // the next item, or the deadline, wakes the intake
                }
                FormingBatch<Item> batch = forming;
                forming = null;
                results = model.infer(batch.taken(), batch.takenUs(), System.nanoTime(), this::finishedLater);
            }
            if (results != null) {
                freeSlots.incrementAndGet();
                take(results);
                if (unsent.size() >= BURST) {
                    send();
                }
            }
        }
        for (ResultBatch later; (later = timed.poll()) != null;) {
            take(later);
        }
        send();
        return done;
    }

    /**
     * Results wait for the burst; a tensor batch's block goes to its runs now, as a block (after those before it), and
     * a failed item too (the run puts it in its place).
     */
    private void take(ResultBatch batch) {
        if (batch.results() instanceof ResultBlock block) {
            send();
            runs.accept(block);
        } else {
            unsent.addAll(batch.results());
        }
        batch.failed().forEach(runs::failed);
    }

    private void send() {
        if (!unsent.isEmpty()) {
            runs.accept(unsent);
            unsent.clear();
        }
    }

    /**
     * An inference ended on the backend's thread (the timer's, ONNX Runtime's pool): its slot is free, and that thread
     * runs the intake's next turn itself, taking the next batch and handing its results on. Handing the turn to the
     * intake's own thread, which then hands the next batch back to the backend's, cost two wake-ups a batch, most of
     * the time of a small tensor batch (BENCHMARKS.md, real models). The queue filled meanwhile, so batches still form.
     */
    private void finishedLater(ResultBatch results) {
        timed.add(results);
        freeSlots.incrementAndGet();
        if (wip.getAndIncrement() == 0) {
            run(1);
        }
    }
}
