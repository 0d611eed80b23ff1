package dev.mlpipe.observe;

import java.time.Instant;

/**
 * Microseconds since the Unix epoch, for the timeline of each item. Anchored once to the wall clock and then read from
 * the monotonic clock, so durations inside one process never jump with NTP and a reading costs no allocation.
 */
public final class Clock {

    private static final long ANCHOR_US = anchor();

    private Clock() {
    }

    public static long nowUs() {
        return usOf(System.nanoTime());
    }

    /** The same clock, for an instant already read with {@link System#nanoTime()}. */
    public static long usOf(long nanoTime) {
        return ANCHOR_US + nanoTime / 1_000L;
    }

    /** Instant.now() has microseconds on Linux, where currentTimeMillis has one millisecond. */
    private static long anchor() {
        Instant now = Instant.now();
        long nanos = System.nanoTime();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L - nanos / 1_000L;
    }
}
