package dev.mlpipe.observe;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A run over time, kept by the server: a point per stats interval (what was processed in it, its latency, the queue's
 * depth over it, the size of its batches), for the page's charts. A long run keeps at most {@link #MAX_POINTS}: when
 * a point more would not fit, neighbours merge pairwise and each point from then on spans twice as many intervals.
 * Counts add up exactly when merged; p50 is the items' weighted mean of the merged p50s and p99 the larger p99 (an
 * upper bound: a spike stays visible). Not thread-safe: fed and read under its run's lock.
 */
public final class RunSeries {

    public static final int MAX_POINTS = 2000;
    /** Points a stats event carries: the newest, so a reader that missed a few events still joins up. */
    static final int TAIL = 8;

    /**
     * One interval of the run, as measured: times in microseconds since the run's start.
     *
     * @param latency the total latency of the items processed in it, or null for none
     * @param depthMean the queue's time-weighted mean depth over it (the model's whole queue, every run's items)
     */
    public record Interval(long startUs, long endUs, long processed, RunStats.Percentiles latency, int depthMin,
            double depthMean, int depthMax, long batches, long batchedItems) {
    }

    /**
     * A point of the series, as the API shows it.
     *
     * @param startMs when it began, in milliseconds since the run's start
     * @param endMs when it ended
     * @param intervals stats intervals it spans
     * @param processed items processed in it
     * @param throughput processed per second of it
     * @param p50Ms median total latency (load to result) of the items processed in it; null for none
     * @param p99Ms 99th percentile of it; merged points: the largest of theirs
     * @param depthMin fewest items in the model's queue during it
     * @param depthMean time-weighted mean items in the queue over it
     * @param depthMax most items in the queue during it
     * @param batches batches this run's items ran in that began in it
     * @param batchMean mean size of those batches; null for none
     */
    @RegisterForReflection // carried in stats events, outside any REST signature
    public record Point(double startMs, double endMs, int intervals, long processed, double throughput, Double p50Ms,
            Double p99Ms, int depthMin, double depthMean, int depthMax, long batches, Double batchMean) {
    }

    /**
     * The series, or its newest points.
     *
     * @param merge stats intervals each point spans at most now (1, 2, 4, ...): a point's index changes when it grows
     * @param size points in the whole series
     * @param from the index of the first point given
     * @param points the points from {@code from} on, oldest first
     */
    @RegisterForReflection
    public record View(int merge, int size, int from, List<Point> points) {
    }

    /** A point being kept, merged with its neighbours over time. */
    private static final class Slot {
        long startUs;
        long endUs;
        int intervals;
        long processed;
        double p50Weighted;
        long p50Items;
        Double p99;
        int depthMin;
        int depthMax;
        double depthIntegral;
        long batches;
        long batchedItems;

        Slot(Interval i) {
            startUs = i.startUs();
            endUs = i.startUs();
            depthMin = i.depthMin();
            depthMax = i.depthMax();
            add(i);
        }

        void add(Interval i) {
            endUs = i.endUs();
            intervals++;
            processed += i.processed();
            if (i.latency() != null && i.processed() > 0) {
                p50Weighted += i.latency().p50() * i.processed();
                p50Items += i.processed();
                p99 = p99 == null ? i.latency().p99() : Math.max(p99, i.latency().p99());
            }
            depthMin = Math.min(depthMin, i.depthMin());
            depthMax = Math.max(depthMax, i.depthMax());
            depthIntegral += i.depthMean() * Math.max(0, i.endUs() - i.startUs());
            batches += i.batches();
            batchedItems += i.batchedItems();
        }

        void absorb(Slot next) {
            endUs = next.endUs;
            intervals += next.intervals;
            processed += next.processed;
            p50Weighted += next.p50Weighted;
            p50Items += next.p50Items;
            if (next.p99 != null) {
                p99 = p99 == null ? next.p99 : Math.max(p99, next.p99);
            }
            depthMin = Math.min(depthMin, next.depthMin);
            depthMax = Math.max(depthMax, next.depthMax);
            depthIntegral += next.depthIntegral;
            batches += next.batches;
            batchedItems += next.batchedItems;
        }

        Point point() {
            long spanUs = Math.max(1, endUs - startUs);
            return new Point(startUs / 1e3, endUs / 1e3, intervals, processed, round(processed / (spanUs / 1e6)),
                    p50Items == 0 ? null : round(p50Weighted / p50Items), p99, depthMin,
                    round(depthIntegral / spanUs), depthMax, batches,
                    batches == 0 ? null : round((double) batchedItems / batches));
        }
    }

    private final int maxPoints;
    private final List<Slot> slots = new ArrayList<>();
    private int merge = 1;

    public RunSeries() {
        this(MAX_POINTS);
    }

    /** @param maxPoints points kept at most: even, so that pairs merge */
    RunSeries(int maxPoints) {
        this.maxPoints = maxPoints;
    }

    /** The next interval: it joins the newest point while that spans fewer than {@code merge} intervals. */
    public void add(Interval interval) {
        Slot last = slots.isEmpty() ? null : slots.get(slots.size() - 1);
        if (last != null && last.intervals < merge) {
            last.add(interval);
            return;
        }
        if (slots.size() == maxPoints) {
            coarsen();
        }
        slots.add(new Slot(interval));
    }

    /** Neighbours merge pairwise: every point but the newest spans {@code merge} intervals, so all do twice as many. */
    private void coarsen() {
        List<Slot> merged = new ArrayList<>(slots.size() / 2 + 1);
        for (int i = 0; i < slots.size(); i += 2) {
            Slot first = slots.get(i);
            if (i + 1 < slots.size()) {
                first.absorb(slots.get(i + 1));
            }
            merged.add(first);
        }
        slots.clear();
        slots.addAll(merged);
        merge *= 2;
    }

    public int size() {
        return slots.size();
    }

    /** The whole series. */
    public View all() {
        return from(0);
    }

    /** Its newest points, as a stats event carries them. */
    public View tail() {
        return from(Math.max(0, slots.size() - TAIL));
    }

    private View from(int from) {
        List<Point> points = new ArrayList<>(slots.size() - from);
        for (int i = from; i < slots.size(); i++) {
            points.add(slots.get(i).point());
        }
        return new View(merge, slots.size(), from, points);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
