package dev.mlpipe.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The simulated inference's wait as mlpipe's {@code InferenceTimer} does it, so that a baseline waits as precisely:
 * keep a running mean of how late a parked thread wakes, park until twice that before the deadline (at most half a
 * millisecond), and spin out the rest. The technique is copied, not the class: the baseline shares nothing with the
 * service. One per run, shared by its model threads, as the service's timer is.
 */
final class SpinWait {

    private static final long MAX_MARGIN_NANOS = 500_000;

    private volatile long lateNanos = 100_000;

    /** Returns at {@code deadline} (a nanoTime), never before. */
    void until(long deadline) {
        long wake = deadline - Math.min(MAX_MARGIN_NANOS, 2 * lateNanos);
        for (long now; (now = System.nanoTime()) < wake;) {
            LockSupport.parkNanos(wake - now);
        }
        long late = Math.max(0, System.nanoTime() - wake);
        lateNanos = (lateNanos * 7 + late) / 8;
        while (System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
