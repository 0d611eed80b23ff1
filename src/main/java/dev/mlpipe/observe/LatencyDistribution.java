package dev.mlpipe.observe;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A run's total latency (load to result) as a cumulative distribution: the time within which each fixed share of its
 * processed items got their result. Read from the run's own histogram, never from the results a reader got, and
 * bounded: {@link #FRACTIONS} points, however many items.
 *
 * @param count items processed, those the distribution describes
 * @param points one per fraction, in order (none while no item is done); 0 is the fastest item, 1 the slowest
 */
@RegisterForReflection
public record LatencyDistribution(long count, List<Point> points) {

    /** 0 (the fastest), each hundredth from 0.01 to 0.99, 0.999, and 1 (the slowest): what a CDF needs to be drawn. */
    static final double[] FRACTIONS = fractions();

    /** @param ms milliseconds within which this fraction of the items got their result (HdrHistogram, 1% precision) */
    @RegisterForReflection
    public record Point(double fraction, double ms) {
    }

    private static double[] fractions() {
        double[] all = new double[102];
        for (int i = 0; i < 100; i++) {
            all[i] = i / 100.0;
        }
        all[100] = 0.999;
        all[101] = 1;
        return all;
    }
}
