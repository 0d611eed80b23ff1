package dev.mlpipe.sweep;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import dev.mlpipe.observe.RunStats;
import dev.mlpipe.observe.Verdict;
import dev.mlpipe.run.RunView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A finished step: its repeats' figures, averaged, beside what theory predicted.
 *
 * @param runs the ids of its runs, one per repeat
 * @param offeredLoad items per second the loader offered, measured (its draws over its own time, waits left out),
 *        averaged over the repeats: for an unpaced loader, what it would draw alone
 * @param ceilingThroughput items per second the model does at most (theory); null when inference takes no time
 * @param predictedThroughput the lower of the pace loadIntervalMs sets (none when unpaced) and the ceiling (theory)
 * @param throughput items processed per second, averaged over the repeats
 * @param spread how much the repeats' throughputs differ
 * @param meanQueueDepth mean items in the queue (time-weighted)
 * @param modelUtilization share of the time the model had work, its slots averaged: 1 - its idle share
 * @param verdict the verdict most repeats got, and its reason
 * @param goodput items within the latency target; null without sloMs
 */
@RegisterForReflection // serialized into sweep events, outside any REST signature
public record Step(int index, Map<String, Integer> at, List<String> runs, PipelineSetup pipeline, Double offeredLoad,
        Double ceilingThroughput, Double predictedThroughput, double throughput, Spread spread, Latency totalMs,
        Latency queueWaitMs, Latency inferenceMs, double meanQueueDepth, double modelUtilization, Verdict verdict,
        String reason, Goodput goodput, LittlesLaw littlesLaw) {

    /** Repeats whose throughputs differ by more than this share of their mean are unstable (perf_analyzer's 10%). */
    public static final double STABLE_SPREAD = 0.10;
    /** Little's law holds when the two sides differ by at most this share of the larger one, or by {@link #LITTLE_ITEMS}. */
    public static final double LITTLE_TOLERANCE = 0.10;
    /** Below this many items both sides count as equal: a near-empty queue's relative difference means nothing. */
    public static final double LITTLE_ITEMS = 0.05;

    /** Milliseconds, each the mean over the repeats. */
    @RegisterForReflection
    public record Latency(double p50, double p90, double p95, double p99, double mean) {
    }

    /** @param relative (max - min) / mean of the repeats' throughputs */
    @RegisterForReflection
    public record Spread(double min, double max, double relative, boolean unstable) {
    }

    /** @param share of the items whose total time was within sloMs @param perSecond such items per second */
    @RegisterForReflection
    public record Goodput(int sloMs, double share, double perSecond) {
    }

    /**
     * Little's law, L = lambda x W, as a check that the figures agree: the mean number of items in the queue against
     * throughput times the mean queue wait, each averaged over the repeats.
     *
     * @param relativeDifference |L - lambda W| / the larger; null when both are below {@link #LITTLE_ITEMS} (a queue
     *        practically empty, whose ratio would say nothing)
     */
    @RegisterForReflection
    public record LittlesLaw(double meanQueueDepth, double throughputTimesWait, Double relativeDifference, boolean holds) {
    }

    /** One repeat as it ended: the run's final view, and the share of its items within sloMs (null without). */
    record Repeat(RunView run, Double withinSlo) {
    }

    static Step of(SweepPlan.Point point, List<Repeat> repeats, Integer sloMs) {
        List<RunStats.Snapshot> stats = repeats.stream().map(r -> r.run().stats()).toList();
        double throughput = mean(stats, RunStats.Snapshot::throughput);
        double min = stats.stream().mapToDouble(RunStats.Snapshot::throughput).min().orElse(0);
        double max = stats.stream().mapToDouble(RunStats.Snapshot::throughput).max().orElse(0);
        double relative = throughput == 0 ? 0 : (max - min) / throughput;
        double depth = repeats.stream().mapToDouble(r -> r.run().queue().meanDepth()).average().orElse(0);
        double lambdaW = stats.stream().filter(s -> s.queueWaitMs() != null)
                .mapToDouble(s -> s.throughput() * s.queueWaitMs().mean() / 1000).average().orElse(0);
        double difference = Math.abs(depth - lambdaW);
        double larger = Math.max(depth, lambdaW);
        Verdict verdict = stats.stream().collect(Collectors.groupingBy(RunStats.Snapshot::verdict, Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        String reason = stats.stream().filter(s -> s.verdict() == verdict).findFirst().map(RunStats.Snapshot::reason)
                .orElse(null);
        Goodput goodput = null;
        if (sloMs != null) {
            double share = repeats.stream().mapToDouble(Repeat::withinSlo).average().orElse(0);
            goodput = new Goodput(sloMs, round(share), round(share * throughput));
        }
        return new Step(point.index(), point.at(), repeats.stream().map(r -> r.run().id()).toList(), point.pipeline(),
                round(meanOrNull(stats, RunStats.Snapshot::offeredLoad)), round(point.ceiling()),
                round(point.predicted()), round(throughput),
                new Spread(round(min), round(max), round(relative), relative > STABLE_SPREAD),
                latency(stats, RunStats.Snapshot::totalMs), latency(stats, RunStats.Snapshot::queueWaitMs),
                latency(stats, RunStats.Snapshot::inferenceMs), round(depth),
                round(1 - mean(stats, RunStats.Snapshot::modelIdleShare)), verdict, reason, goodput,
                new LittlesLaw(round(depth), round(lambdaW), larger < LITTLE_ITEMS ? null : round(difference / larger),
                        difference <= LITTLE_ITEMS || difference <= LITTLE_TOLERANCE * larger));
    }

    private static Latency latency(List<RunStats.Snapshot> stats, Function<RunStats.Snapshot, RunStats.Percentiles> of) {
        List<RunStats.Percentiles> all = stats.stream().map(of).filter(Objects::nonNull).toList();
        if (all.isEmpty()) {
            return null;
        }
        return new Latency(mean(all, RunStats.Percentiles::p50), mean(all, RunStats.Percentiles::p90),
                mean(all, RunStats.Percentiles::p95), mean(all, RunStats.Percentiles::p99),
                mean(all, RunStats.Percentiles::mean));
    }

    private static <T> Double meanOrNull(List<T> values, Function<T, Double> of) {
        List<Double> known = values.stream().map(of).filter(Objects::nonNull).toList();
        return known.isEmpty() ? null : known.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static <T> double mean(List<T> values, ToDoubleFunction<T> of) {
        return round(values.stream().mapToDouble(of).average().orElse(0));
    }

    private static Double round(Double value) {
        return value == null ? null : Math.round(value * 1000) / 1000.0;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
