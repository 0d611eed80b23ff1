package dev.mlpipe.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import org.jboss.logging.Logger;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.model.FormingBatch;
import io.smallrye.mutiny.Uni;

/**
 * One model's line on a worker: the messages the broker sent for the model wait here, and while one of its
 * {@code concurrency} slots is free, the oldest are taken as a batch by the rule of one process
 * ({@link FormingBatch}): what has arrived, up to {@code max-batch-size} items, at once with no {@code batch-delay};
 * with one, a batch that holds fewer keeps its slot and takes what arrives until it holds that many or has waited the
 * delay since its first. A slot is free again once its batch's run ends. Arrivals, ends and deadlines come on any
 * thread: whoever finds the line idle takes the batches, the others leave it a count to answer (as Mutiny's own
 * operators do), so nothing waits on a lock. Mutiny's time windows could not say "what has arrived" (a zero delay
 * would be a window of some length) and would run from a clock rather than from a batch's first message.
 *
 * @param <M> a message of one item or several
 */
final class WorkerLine<M> {

    private static final Logger LOG = Logger.getLogger(WorkerLine.class);

    private final String name;
    private final Queue<M> arrived = new ConcurrentLinkedQueue<>();
    private final Supplier<PipelineSettings.Settings> settings;
    private final ToIntFunction<? super M> items;
    /** Runs a batch, its messages taken at {@code takenUs} (null: all as it starts); ends once its results are sent. */
    private final BiFunction<List<M>, long[], Uni<Void>> run;
    private final ScheduledExecutorService deadlines;
    private final AtomicInteger wip = new AtomicInteger();
    /** Batches that ended since the line last counted its busy slots. */
    private final AtomicInteger ended = new AtomicInteger();
    private final Runnable wake = this::wake;
    private final IntFunction<List<M>> take = this::take;
    /** Starting no new batch: a worker that stops hands back what it has not begun. */
    private volatile boolean paused;
    // whoever holds wip only
    private int busy;
    private FormingBatch<M> forming;

    /**
     * @param name the model's, for the log
     * @param settings read for each batch as it starts forming, as in one process
     * @param items how many items a message holds
     */
    WorkerLine(String name, Supplier<PipelineSettings.Settings> settings, ToIntFunction<? super M> items,
            BiFunction<List<M>, long[], Uni<Void>> run, ScheduledExecutorService deadlines) {
        this.name = name;
        this.settings = settings;
        this.items = items;
        this.run = run;
        this.deadlines = deadlines;
    }

    /** A message arrived: it runs now if a slot is free, else when one is. */
    void offer(M message) {
        arrived.add(message);
        wake();
    }

    /**
     * Starts no new batch: those that have begun end, a batch forming starts at its deadline with what it holds, and
     * what waits stays unacknowledged, for the broker to deliver to another worker once this one's connection closes.
     */
    void pause() {
        paused = true;
    }

    /** Starts batches again. */
    void resume() {
        paused = false;
        wake();
    }

    /** Messages that arrived and are in no batch yet. */
    int waiting() {
        return arrived.size();
    }

    private void wake() {
        if (wip.getAndIncrement() != 0) {
            return; // whoever holds the line takes another turn
        }
        int missed = 1;
        do {
            drain();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drain() {
        while (true) {
            busy -= ended.getAndSet(0);
            List<M> batch;
            long[] takenUs = null;
            if (forming != null) {
                if (!forming.filled(take)) {
                    return; // the next arrival, or the deadline, wakes the line
                }
                batch = forming.taken();
                takenUs = forming.takenUs();
                forming = null;
            } else {
                PipelineSettings.Settings now = settings.get();
                if (paused || busy >= now.concurrency() || arrived.isEmpty()) {
                    return; // an end, the next arrival or a resume wakes the line
                }
                int max = now.maxBatchSize();
                long delayNanos = now.batchDelayNanos();
                batch = take(max);
                busy++;
                forming = FormingBatch.of(batch, max, items, delayNanos, System.nanoTime());
                if (forming != null) { // holds its slot
                    wakeAfter(delayNanos);
                    continue;
                }
            }
            start(batch, takenUs);
        }
    }

    /** Runs a batch; a run that throws or fails frees its slot all the same, and the line goes on. */
    private void start(List<M> batch, long[] takenUs) {
        Uni.createFrom().deferred(() -> run.apply(batch, takenUs)).subscribe().with(done -> end(), failure -> {
            LOG.errorf(failure, "a batch of model %s failed; its messages go back to the broker's queue", name);
            end();
        });
    }

    private void wakeAfter(long delayNanos) {
        try {
            deadlines.schedule(wake, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // the process stops: the batch starts at a later wake-up, or goes back to the broker with the connection
        }
    }

    private void end() {
        ended.incrementAndGet();
        wake();
    }

    /** The oldest messages that arrived, until they hold {@code max} items; none while paused. */
    private List<M> take(int max) {
        List<M> batch = new ArrayList<>(Math.min(max, 64));
        if (paused) {
            return batch;
        }
        int weight = 0;
        for (M message; weight < max && (message = arrived.poll()) != null;) {
            batch.add(message);
            weight += items.applyAsInt(message);
        }
        return batch;
    }
}
