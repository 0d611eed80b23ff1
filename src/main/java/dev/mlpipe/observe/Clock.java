package dev.mlpipe.observe;

/**
 * Microseconds since the Unix epoch, for the timeline of each item. Anchored once to the wall clock and then read from
 * the monotonic clock, so durations inside one process never jump with NTP and a reading costs no allocation.
 */
public final class Clock {

    private static final long ANCHOR_US = System.currentTimeMillis() * 1_000L - System.nanoTime() / 1_000L;

    private Clock() {
    }

    public static long nowUs() {
        return ANCHOR_US + System.nanoTime() / 1_000L;
    }
}
