package dev.mlpipe.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.LocalQueue;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The model's intake in one process: while one of the {@code mlpipe.model.concurrency} model slots is free and items
 * are queued, takes the oldest item from the {@link LocalQueue} and runs it; finding the queue empty, it asks to be
 * woken by the next item. Results go to the runs ({@link ResultSink}) a burst at a time.
 * <p>
 * It runs on whichever thread wakes it (a loader that enqueued an item, the timer that ended an inference), one at a
 * time, as a Mutiny operator runs on the thread that emits to it; only a turn longer than {@link #TURN} items goes on
 * on a thread of its own. Running always on a thread of its own cost a wake-up per item each way: 200,000 items/s
 * against some 600,000 (BENCHMARKS.md, scenario 1). In one process
 * this replaces the channels a broker needs: the queue is {@link LocalQueue}, and results go straight to their runs.
 */
@Singleton
public class LocalIntake {

    /** Batches one wake-up runs before handing on to the model's own thread, so a loader is not kept from loading. */
    static final int TURN = 256;

    private final LocalQueue queue;
    private final InferenceStage model;
    private final ResultSink runs;
    private final boolean enabled;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicInteger freeSlots;
    private final ConcurrentLinkedQueue<List<Result>> timed = new ConcurrentLinkedQueue<>();
    private final Runnable wake = this::wake;
    private final ExecutorService overflow = Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("mlpipe-model", true));
    // whoever holds wip only; handed to the runs and cleared, never kept
    private final List<Result> unsent = new ArrayList<>(TURN);

    LocalIntake(LocalQueue queue, InferenceStage model, ResultSink runs, MlpipeConfig config) {
        this.queue = queue;
        this.model = model;
        this.runs = runs;
        this.freeSlots = new AtomicInteger(config.model().concurrency());
        this.enabled = !config.broker().enabled();
    }

    void start(@Observes StartupEvent started) {
        if (enabled) {
            wake();
        }
    }

    @PreDestroy
    void stop() {
        overflow.shutdownNow();
    }

    /** There may be work: runs the intake here unless it runs elsewhere, in which case that run goes round again. */
    private void wake() {
        if (wip.getAndIncrement() == 0) {
            run(1);
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
        for (int turn = 0; freeSlots.get() > 0; turn++) {
            if (turn == TURN) {
                done = false;
                break;
            }
            List<Item> batch = queue.take(1, wake);
            if (batch.isEmpty()) {
                break; // the next item wakes the intake
            }
            freeSlots.decrementAndGet();
            List<Result> results = model.infer(batch, System.nanoTime(), this::finishedLater);
            if (results != null) {
                freeSlots.incrementAndGet();
                unsent.addAll(results);
            }
        }
        for (List<Result> later; (later = timed.poll()) != null;) {
            unsent.addAll(later);
        }
        if (!unsent.isEmpty()) {
            runs.accept(unsent);
            unsent.clear();
        }
        return done;
    }

    /** A timed inference ended, on the timer's thread: its slot is free, its results go out with the next turn. */
    private void finishedLater(List<Result> results) {
        timed.add(results);
        freeSlots.incrementAndGet();
        wake();
    }
}
