package dev.mlpipe.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.model.FormingBatch;
import io.smallrye.mutiny.Uni;

/**
 * One model's line on a worker: the messages the broker sent for the model wait here, and while one of its
 * {@code concurrency} slots is free, the oldest are taken as a batch by the rule of one process
 * ({@link FormingBatch}): what has arrived, up to {@code max-batch-size} messages, at once with no
 * {@code batch-delay}; with one, a batch that is not full holds its slot and takes what arrives until it is full or has
 * waited the delay since its first. A slot is free again once its batch's run ends. Arrivals, ends and deadlines come
 * on any thread: whoever finds the line idle takes the batches, the others leave it a count to answer (Mutiny's own
 * operators do the same), so nothing waits on a lock. Mutiny's time windows, used before, could not say "what has
 * arrived" (a zero delay was a 1 ms window) and ran from a clock rather than from a batch's first message.
 *
 * @param <M> a message of one item or several
 */
final class WorkerLine<M> {

    private final Queue<M> arrived = new ConcurrentLinkedQueue<>();
    private final Supplier<PipelineSettings.Settings> settings;
    /** Runs a batch, its messages taken at {@code takenUs} (null: all as it starts); ends once its results are sent. */
    private final BiFunction<List<M>, long[], Uni<Void>> run;
    private final ScheduledExecutorService deadlines;
    private final AtomicInteger wip = new AtomicInteger();
    /** Batches that ended since the line last counted its busy slots. */
    private final AtomicInteger ended = new AtomicInteger();
    private final Runnable wake = this::wake;
    private final IntFunction<List<M>> take = this::take;
    // whoever holds wip only
    private int busy;
    private FormingBatch<M> forming;

    /** @param settings read for each batch as it starts forming, as in one process */
    WorkerLine(Supplier<PipelineSettings.Settings> settings, BiFunction<List<M>, long[], Uni<Void>> run,
            ScheduledExecutorService deadlines) {
        this.settings = settings;
        this.run = run;
        this.deadlines = deadlines;
    }

    /** A message arrived: it runs now if a slot is free, else when one is. */
    void offer(M message) {
        arrived.add(message);
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
                if (busy >= now.concurrency() || arrived.isEmpty()) {
                    return; // an end, or the next arrival, wakes the line
                }
                int max = now.maxBatchSize();
                long delayNanos = max > 1 ? now.batchDelayNanos() : 0;
                batch = take(max);
                busy++;
                forming = FormingBatch.of(batch, max, delayNanos, System.nanoTime());
                if (forming != null) { // holds its slot
                    deadlines.schedule(wake, delayNanos, TimeUnit.NANOSECONDS);
                    continue;
                }
            }
            run.apply(batch, takenUs).subscribe().with(done -> end(), failure -> end());
        }
    }

    private void end() {
        ended.incrementAndGet();
        wake();
    }

    private List<M> take(int max) {
        List<M> batch = new ArrayList<>(Math.min(max, 64));
        for (M message; batch.size() < max && (message = arrived.poll()) != null;) {
            batch.add(message);
        }
        return batch;
    }
}
