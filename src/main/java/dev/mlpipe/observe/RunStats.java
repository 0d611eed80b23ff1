package dev.mlpipe.observe;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a run's time goes: latency distributions of its items and the shares of time each side waited. Fed by the run
 * under its lock; {@link #snapshot} works for a live run (up to now) and for an ended one (up to its end).
 */
public final class RunStats {

    /** Milliseconds at the 50th, 90th and 99th percentile and the maximum; null while no item is done. */
    @RegisterForReflection
    public record Percentiles(double p50, double p90, double p99, double max) {
    }

    /**
     * @param throughput items processed per second of the run so far
     * @param loaderBlockedShare share of the run the loader waited for room in the queue
     * @param loaderPacedShare share of the run the loader waited for its slowest lossless client
     * @param modelIdleShare share of the run the model waited for data: a slot free and the queue empty (its slots
     *        averaged)
     */
    @RegisterForReflection
    public record Snapshot(double elapsedMs, double throughput, Percentiles queueWaitMs, Percentiles inferenceMs,
            Percentiles totalMs, double loaderBlockedShare, double loaderPacedShare, double modelIdleShare,
            Verdict verdict, String reason) {
    }

    private final PipelineActivity activity;
    private final Distribution queueWait = new Distribution();
    private final Distribution inference = new Distribution();
    private final Distribution total = new Distribution();
    private final PipelineActivity.Reading atStart;
    private PipelineActivity.Reading atEnd;
    private long loaderBlockedUs;
    private long loaderPacedUs;
    /** When the loader began its current wait for its clients, or -1: a wait still going counts up to now. */
    private long pausedSinceUs = -1;

    public RunStats(PipelineActivity activity) {
        this.activity = activity;
        this.atStart = activity.read();
    }

    /** An item entered the queue; the time since it was loaded is time the loader waited for room. */
    public void entered(long loadedUs, long enqueuedUs) {
        loaderBlockedUs += Math.max(0, enqueuedUs - loadedUs);
    }

    /** The loader waits for the run's slowest lossless client from now on. */
    public void pauseStarted(long atUs) {
        if (pausedSinceUs < 0) {
            pausedSinceUs = atUs;
        }
    }

    /** The loader waits for its clients no more. @return how long it waited, in microseconds (0 if it was not) */
    public long pauseEnded(long atUs) {
        if (pausedSinceUs < 0) {
            return 0;
        }
        long paused = Math.max(0, atUs - pausedSinceUs);
        loaderPacedUs += paused;
        pausedSinceUs = -1;
        return paused;
    }

    public void processed(long queueWaitUs, long inferenceUs, long totalUs) {
        queueWait.record(queueWaitUs);
        inference.record(inferenceUs);
        total.record(totalUs);
    }

    public void end() {
        atEnd = activity.read();
    }

    /** Mean items in the queue over the run so far. */
    public double meanDepth() {
        return now().meanDepthSince(atStart);
    }

    public Snapshot snapshot(long loaded, long processed, long dropped) {
        PipelineActivity.Reading now = now();
        double elapsedUs = Math.max(1, now.atUs() - atStart.atUs());
        double blocked = Math.min(1, loaderBlockedUs / elapsedUs);
        long pausedNow = pausedSinceUs < 0 ? 0 : Math.max(0, now.atUs() - pausedSinceUs);
        double paced = Math.min(1, (loaderPacedUs + pausedNow) / elapsedUs);
        double idle = activity.modelIdleShare(atStart, now);
        double droppedShare = loaded == 0 ? 0 : (double) dropped / loaded;
        Verdict.Finding finding = Verdict.of(new Verdict.Shares(blocked, droppedShare, paced, idle),
                now.meanDepthSince(atStart), activity.capacity());
        return new Snapshot(round(elapsedUs / 1e3), round(processed / (elapsedUs / 1e6)), queueWait.percentiles(),
                inference.percentiles(), total.percentiles(), round(blocked), round(paced), round(idle),
                finding.verdict(), finding.reason());
    }

    private PipelineActivity.Reading now() {
        return atEnd != null ? atEnd : activity.read();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** Microsecond values up to an hour, to two significant digits (1%), plus the exact maximum. */
    private static final class Distribution {
        private static final long HIGHEST_US = 3_600_000_000L;
        private final AbstractHistogram histogram = new IntCountsHistogram(HIGHEST_US, 2);
        private long max;

        void record(long micros) {
            long value = Math.min(HIGHEST_US, Math.max(0, micros));
            histogram.recordValue(value);
            max = Math.max(max, value);
        }

        Percentiles percentiles() {
            if (histogram.getTotalCount() == 0) {
                return null;
            }
            return new Percentiles(ms(50), ms(90), ms(99), max / 1e3);
        }

        private double ms(double percentile) {
            return Math.min(histogram.getValueAtPercentile(percentile), max) / 1e3;
        }
    }
}
