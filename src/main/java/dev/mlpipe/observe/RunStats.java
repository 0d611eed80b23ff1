package dev.mlpipe.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a run's time goes: latency distributions of its items and the shares of time each side waited. Fed by the run
 * under its lock; {@link #snapshot} works for a live run (up to now) and for an ended one (up to its end).
 */
public final class RunStats {

    /**
     * Milliseconds at the 50th, 90th, 95th and 99th percentile, the maximum and the mean (the mean for Little's law
     * and perf_analyzer's columns); null while no item is done.
     */
    @RegisterForReflection
    public record Percentiles(double p50, double p90, double p95, double p99, double max, double mean) {
    }

    /**
     * The batches this run's items ran in (a batch may hold other runs' items too; its size counts them all).
     *
     * @param count batches
     * @param sizeP50 the median batch size; null while no batch is done, as the other figures
     * @param sizeMean the mean batch size
     * @param sizeMax the largest batch
     * @param fullShare share of the batches that held {@code mlpipe.models.simulated.max-batch-size} items
     * @param waitMs time items waited, taken from the queue, for their batch to fill and start
     */
    @RegisterForReflection
    public record Batches(long count, Integer sizeP50, Double sizeMean, Integer sizeMax, Double fullShare,
            Percentiles waitMs) {
    }

    /**
     * @param throughput items processed per second of the run so far
     * @param offeredLoad items per second the loader offered: those it drew, over its own time from its first draw to
     *        its latest less its waits for room and for clients (a paced loader: about 1000 / loadIntervalMs; an
     *        unpaced one: what it draws alone); null before its second draw
     * @param loaderBlockedShare share of the run the loader waited for room in the queue
     * @param loaderPacedShare share of the run the loader waited for its slowest lossless client
     * @param modelIdleShare share of the run the model waited for data: a slot free and the queue empty (its slots
     *        averaged)
     * @param waitingFor with a broker, what the model's items wait for beyond the queue, now: "no worker consumes
     *        {@code <ns>.items.<model>}" while no worker has loaded the model; null for nothing
     */
    @RegisterForReflection
    public record Snapshot(double elapsedMs, double throughput, Double offeredLoad, Percentiles queueWaitMs,
            Percentiles inferenceMs, Percentiles totalMs, Batches batches, double loaderBlockedShare, double loaderPacedShare, double modelIdleShare,
            Verdict verdict, String reason, String waitingFor) {
    }

    private final PipelineActivity activity;
    /** The run over time: a point per {@link #sample}, from what changed since the one before. */
    private final RunSeries series = new RunSeries();
    private final Distribution intervalTotal = new Distribution();
    private final PipelineActivity.DepthWindow depthWindow;
    /** The most the queue held over the intervals sampled so far. */
    private volatile int maxDepthSampled;
    private PipelineActivity.Reading sampledAt;
    private long sampledProcessed;
    private long sampledBatches;
    private long sampledBatchedItems;
    private final Distribution queueWait = new Distribution();
    private final Distribution inference = new Distribution();
    private final Distribution total = new Distribution();
    private final Distribution batchWait = new Distribution();
    /** Sizes of the batches above one, made at the first: with batches of one, a run pays for none of it. */
    private IntCountsHistogram largerBatches;
    private long batches;
    private long singleBatches;
    private long fullBatches;
    private long batchedItems;
    private int largestBatch;
    /** The batch of the last item processed: a run's items come back in load order, so batch by batch. */
    private long lastBatchId = Long.MIN_VALUE;
    private final PipelineActivity.Reading atStart;
    private PipelineActivity.Reading atEnd;
    private final String runId;
    /** The run's own items in the queue, from its start: read with every reading, and left at its end. */
    private final OwnDepth own;
    private long loaderBlockedUs;
    private long loaderPacedUs;
    /** When the loader began its current wait for its clients, or -1: a wait still going counts up to now. */
    private long pausedSinceUs = -1;
    private long drawn;
    private long firstDrawnUs;
    private long lastDrawnUs;
    /** The loader's waits (room, clients) until its first draw, and until its latest. */
    private long waitedAtFirstUs;
    private long waitedAtLastUs;

    /** @param runId the id the run's items carry: its own items in the queue are counted apart */
    public RunStats(PipelineActivity activity, String runId) {
        this.activity = activity;
        this.runId = runId;
        this.atStart = activity.read();
        this.sampledAt = atStart;
        this.depthWindow = activity.openWindow();
        this.own = activity.openOwn(runId);
    }

    /** The loader drew {@code items} at once (before it tries to enter them). */
    public void drawn(long atUs, int items) {
        long waited = loaderBlockedUs + loaderPacedUs;
        if (drawn == 0) {
            firstDrawnUs = atUs;
            waitedAtFirstUs = waited;
        }
        drawn += items;
        lastDrawnUs = atUs;
        waitedAtLastUs = waited;
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

    /** An item's queue wait and total time; its inference is counted with its batch's ({@link #inferred}). */
    public void processed(long queueWaitUs, long totalUs) {
        queueWait.record(queueWaitUs, 1);
        total.record(totalUs, 1);
        intervalTotal.record(totalUs, 1);
    }

    /** {@code items} items ran as one batch in {@code inferenceUs}: one figure, counted for each of them. */
    public void inferred(long inferenceUs, long items) {
        inference.record(inferenceUs, items);
    }

    /** The item processed last ran in batch {@code batchId} of {@code size} items, after {@code waitUs} for it. */
    public void batched(long batchId, int size, long waitUs) {
        batchWait.record(waitUs, 1);
        if (batchId == lastBatchId) {
            return;
        }
        lastBatchId = batchId;
        int items = Math.max(1, Math.min(Short.MAX_VALUE, size));
        batches++;
        batchedItems += items;
        if (items == 1) {
            singleBatches++;
        } else {
            if (largerBatches == null) {
                largerBatches = new IntCountsHistogram(Short.MAX_VALUE, 3);
            }
            largerBatches.recordValue(items);
        }
        largestBatch = Math.max(largestBatch, items);
        if (items >= activity.maxBatchSize()) {
            fullBatches++;
        }
    }

    /** The run ended: the series gets its last, shorter interval, up to the end. */
    public void end(long processed) {
        atEnd = activity.closeOwn(runId, own);
        depthWindow.close();
        sample(processed);
    }

    /**
     * Closes the interval since the last sample (or the start) as a point of the series: the items processed in it
     * ({@code processed} is the run's count so far), their latency, the queue's depth over it, its batches. After the
     * end, the interval up to the end, once.
     */
    public void sample(long processed) {
        PipelineActivity.Reading now = now();
        if (now.atUs() <= sampledAt.atUs()) {
            return;
        }
        PipelineActivity.DepthRange range = atEnd == null ? depthWindow.take() : depthWindow.peek();
        maxDepthSampled = Math.max(maxDepthSampled, Math.max(range.max(), now.depth()));
        series.add(new RunSeries.Interval(sampledAt.atUs() - atStart.atUs(), now.atUs() - atStart.atUs(),
                processed - sampledProcessed, intervalTotal.percentiles(), Math.min(range.min(), now.depth()),
                now.meanDepthSince(sampledAt), Math.max(range.max(), now.depth()), batches - sampledBatches,
                batchedItems - sampledBatchedItems));
        intervalTotal.reset();
        sampledAt = now;
        sampledProcessed = processed;
        sampledBatches = batches;
        sampledBatchedItems = batchedItems;
    }

    public RunSeries series() {
        return series;
    }

    /** Share of the processed items whose total time was at most {@code micros}: a goodput against a latency target. */
    public double totalWithin(long micros) {
        return total.shareAtMost(micros);
    }

    /** Items' total latency at fixed shares of them, so far: a CDF of the run. */
    public LatencyDistribution totalDistribution() {
        return total.distribution();
    }

    /**
     * Most items in the queue at any moment of the run so far, from the same continuous signal as its mean (all runs'
     * items), so that the mean never exceeds it.
     */
    private int maxDepth(PipelineActivity.Reading now) {
        return Math.max(maxDepthSampled, Math.max(depthWindow.peek().max(), now.depth()));
    }

    /**
     * The queue over the run so far, from one reading: the whole queue's mean and most items, and this run's own items'
     * alone, never above them.
     */
    public record Depths(double mean, int max, double ownMean, int ownMax) {
    }

    public Depths depths() {
        PipelineActivity.Reading now = now();
        return new Depths(now.meanDepthSince(atStart), maxDepth(now), now.own().meanSince(atStart.atUs()),
                now.own().max());
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
        Batches batched = batches();
        String reason = finding.reason();
        if (activity.maxBatchSize() > 1 && batches > 0) {
            reason += String.format(Locale.ROOT, "; batches held %.1f of %d items on average, %s full",
                    batched.sizeMean(), activity.maxBatchSize(), Math.round(batched.fullShare() * 100) + "%");
        }
        return new Snapshot(round(elapsedUs / 1e3), round(processed / (elapsedUs / 1e6)), offeredLoad(),
                queueWait.percentiles(), inference.percentiles(), total.percentiles(), batched, round(blocked),
                round(paced), round(idle), finding.verdict(), reason, activity.waitingFor());
    }

    /** The gaps between draws over the loader's own time in them: waiting for room or clients is not offering less. */
    private Double offeredLoad() {
        long ownUs = lastDrawnUs - firstDrawnUs - (waitedAtLastUs - waitedAtFirstUs);
        return drawn < 2 || ownUs <= 0 ? null : round((drawn - 1) / (ownUs / 1e6));
    }

    private Batches batches() {
        if (batches == 0) {
            return new Batches(0, null, null, null, null, null);
        }
        long medianRank = (batches + 1) / 2;
        int median = medianRank <= singleBatches ? 1
                : (int) largerBatches.getValueAtPercentile(100.0 * (medianRank - singleBatches) / largerBatches.getTotalCount());
        return new Batches(batches, median,
                Math.round(batchedItems * 100.0 / batches) / 100.0, largestBatch, round((double) fullBatches / batches),
                batchWait.percentiles());
    }

    private PipelineActivity.Reading now() {
        return atEnd != null ? atEnd : activity.read(own);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /**
     * Microsecond values up to an hour, to two significant digits (1%), plus the exact maximum. A run of equal values is
     * recorded once with its count: the items of a batch share their inference time and their wait for the batch, and
     * often their queue wait, and a histogram's recording per item would cost the model's thread more than the batch.
     */
    private static final class Distribution {
        private static final long HIGHEST_US = 3_600_000_000L;
        private final AbstractHistogram histogram = new IntCountsHistogram(HIGHEST_US, 2);
        private long max;
        /** The latest value, not yet in the histogram, and how many times it came in a row. */
        private long repeated;
        private long repeats;

        void record(long micros, long times) {
            long value = Math.min(HIGHEST_US, Math.max(0, micros));
            if (value == repeated && repeats > 0) {
                repeats += times;
                return;
            }
            settle();
            repeated = value;
            repeats = times;
        }

        /** Puts the repeated value in the histogram, before anything reads it. */
        void reset() {
            histogram.reset();
            max = 0;
            repeats = 0;
        }

        private void settle() {
            if (repeats > 0) {
                histogram.recordValueWithCount(repeated, repeats);
                max = Math.max(max, repeated);
                repeats = 0;
            }
        }

        Percentiles percentiles() {
            settle();
            if (histogram.getTotalCount() == 0) {
                return null;
            }
            return new Percentiles(ms(50), ms(90), ms(95), ms(99), max / 1e3,
                    Math.round(Math.min(histogram.getMean(), max)) / 1e3);
        }

        LatencyDistribution distribution() {
            settle();
            long count = histogram.getTotalCount();
            if (count == 0) {
                return new LatencyDistribution(0, List.of());
            }
            List<LatencyDistribution.Point> points = new ArrayList<>(LatencyDistribution.FRACTIONS.length);
            for (double fraction : LatencyDistribution.FRACTIONS) {
                long us = fraction == 0 ? histogram.getMinValue() : fraction == 1 ? max
                        : Math.min(histogram.getValueAtPercentile(fraction * 100), max);
                points.add(new LatencyDistribution.Point(fraction, us / 1e3));
            }
            return new LatencyDistribution(count, points);
        }

        double shareAtMost(long micros) {
            settle();
            return histogram.getTotalCount() == 0 ? 0 : histogram.getPercentileAtOrBelowValue(micros) / 100;
        }

        private double ms(double percentile) {
            return Math.min(histogram.getValueAtPercentile(percentile), max) / 1e3;
        }
    }
}
