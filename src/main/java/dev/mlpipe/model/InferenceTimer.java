package dev.mlpipe.model;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.smallrye.mutiny.Uni;

/**
 * Waits out simulated inference on its own threads, so that no thread of the pipeline waits and a busy pool cannot make
 * an inference late. A scheduler wakes up late by a tenth of a millisecond or more; over a 10 ms inference that alone
 * would cost the model 1 to 3% of its time. So the timer keeps a running mean of how late it wakes, asks to be woken
 * twice that early, and spins out what remains: an inference lasts what was asked, and never less.
 */
final class InferenceTimer implements AutoCloseable {

    /** Never asked to wake more than this early: the most a wake-up may spin. */
    private static final long MAX_MARGIN_NANOS = 500_000;
    private static final int MAX_THREADS = 64;

    private final ScheduledThreadPoolExecutor scheduler;
    /**
     * @param threads one per inference that may run at once (up to 64), so that one spinning out its last microseconds
     *        never makes another wake late
     */
    InferenceTimer(int threads) {
        this.scheduler = new ScheduledThreadPoolExecutor(Math.min(threads, MAX_THREADS),
                new DefaultThreadFactory("mlpipe-model", true));
    }

    /** The inferences that may run at once changed live; threads beyond the new number end once idle. */
    void threads(int threads) {
        scheduler.setCorePoolSize(Math.min(threads, MAX_THREADS));
    }

    /** Running mean of how late the scheduler wakes. */
    private volatile long lateNanos = 100_000;

    /** Completes on the timer's thread once {@code nanos} have passed since {@code startNanos} (a nanoTime). */
    Uni<Void> sleep(long startNanos, long nanos) {
        return Uni.createFrom().emitter(done -> {
            long deadline = startNanos + nanos;
            long margin = Math.min(MAX_MARGIN_NANOS, 2 * lateNanos); // twice the mean: most wake-ups come early enough
            scheduler.schedule(() -> {
                long late = Math.max(0, System.nanoTime() - (deadline - margin));
                lateNanos = (lateNanos * 7 + late) / 8;
                while (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                done.complete(null);
            }, Math.max(0, deadline - margin - System.nanoTime()), TimeUnit.NANOSECONDS);
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
