package dev.mlpipe.model;

import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Waits out simulated inference on its own threads, so that no thread of the pipeline waits and a busy pool cannot make
 * an inference late. A scheduler wakes up late by a tenth of a millisecond or more; over a 10 ms inference that alone
 * would cost the model 1 to 3% of its time. So the timer keeps a running mean of how late it wakes, asks to be woken
 * twice that early, and spins out what remains: an inference lasts what was asked, and never less, unless nothing waits
 * for its results any more (its runs ended), when it ends at once and frees its slot.
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
        scheduler.setRemoveOnCancelPolicy(true); // an ended wait's batch is not held till its deadline
    }

    /** The inferences that may run at once changed live; threads beyond the new number end once idle. */
    void threads(int threads) {
        scheduler.setCorePoolSize(Math.min(threads, MAX_THREADS));
    }

    /** Running mean of how late the scheduler wakes. */
    private volatile long lateNanos = 100_000;

    /**
     * Runs {@code then} on the timer's thread once {@code nanos} have passed since {@code startNanos} (a nanoTime), or
     * at once if the wait is ended first ({@link Wait#endNow}): whichever comes first runs it, once.
     */
    Wait sleep(long startNanos, long nanos, Runnable then) {
        Wait wait = new Wait(then);
        long deadline = startNanos + nanos;
        long margin = Math.min(MAX_MARGIN_NANOS, 2 * lateNanos); // twice the mean: most wake-ups come early enough
        wait.wake = scheduler.schedule(() -> {
            long late = Math.max(0, System.nanoTime() - (deadline - margin));
            lateNanos = (lateNanos * 7 + late) / 8;
            while (System.nanoTime() < deadline && !wait.ended.get()) {
                Thread.onSpinWait();
            }
            wait.finish();
        }, Math.max(0, deadline - margin - System.nanoTime()), TimeUnit.NANOSECONDS);
        return wait;
    }

    /** One simulated inference being waited out. */
    final class Wait {
        private final Runnable then;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile Future<?> wake;

        private Wait(Runnable then) {
            this.then = then;
        }

        /** Its items need no result any more: the wait ends now and {@code then} runs on the timer's thread. */
        void endNow() {
            if (ended.compareAndSet(false, true) && wake.cancel(false)) {
                try {
                    scheduler.execute(this::finish);
                } catch (RejectedExecutionException closing) {
                    // the model is closing: nothing waits for the batch any more
                }
            }
        }

        private void finish() {
            if (done.compareAndSet(false, true)) {
                then.run();
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
