package dev.mlpipe.serve;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One model's v2 traffic as a page shows it: the requests answered over the last {@link #WINDOW_NANOS} or so, their
 * rate and 99th percentile latency, and every request since start. Recording is lock-free ({@link Recorder}); a
 * reading swaps the interval at most once a window, so readers agree and the figure moves in steps.
 */
public final class V2Traffic {

    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What a model's v2 traffic looks like now; {@code p99Ms} null when the last window answered nothing. */
    @RegisterForReflection // in GET /api/models, through ModelView
    public record Reading(long requests, double requestsPerSecond, Double p99Ms) {
    }

    private final Recorder latencies = new Recorder(3);
    private final LongAdder requests = new LongAdder();
    // guarded by this
    private Histogram interval;
    private long windowStart = System.nanoTime();
    private Reading last = new Reading(0, 0, null);

    void ended() {
        requests.increment();
    }

    void answered(long nanos) {
        latencies.recordValue(Math.max(1, nanos / 1_000)); // microseconds
    }

    synchronized Reading read() {
        long now = System.nanoTime();
        long elapsed = now - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            interval = latencies.getIntervalHistogram(interval);
            long answered = interval.getTotalCount();
            last = new Reading(requests.sum(), answered * 1e9 / elapsed,
                    answered == 0 ? null : interval.getValueAtPercentile(99) / 1e3);
            windowStart = now;
        } else {
            last = new Reading(requests.sum(), last.requestsPerSecond(), last.p99Ms());
        }
        return last;
    }
}
