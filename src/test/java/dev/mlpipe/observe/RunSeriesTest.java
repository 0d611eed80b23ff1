package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** A run over time: a point per interval, neighbours merged for long runs without losing a count. */
class RunSeriesTest {

    private static RunSeries.Interval interval(int i, long processed, int depthMin, double depthMean, int depthMax,
            double p50, double p99) {
        RunStats.Percentiles latency = processed == 0 ? null : new RunStats.Percentiles(p50, p99, p99, p99, p99, p50);
        return new RunSeries.Interval(i * 250_000L, (i + 1) * 250_000L, processed, latency, depthMin, depthMean,
                depthMax, processed / 2, processed);
    }

    @Test
    void aLongRunKeepsAtMostTwoThousandPointsAndEveryItem() {
        RunSeries series = new RunSeries();
        long processed = 0;
        for (int i = 0; i < 5_000; i++) {
            long items = i % 7 * 2;
            processed += items;
            series.add(interval(i, items, 0, 1, 3, 2, 4));
        }

        RunSeries.View all = series.all();
        assertThat(all.size()).isLessThanOrEqualTo(RunSeries.MAX_POINTS).isEqualTo(all.points().size());
        assertThat(all.merge()).as("merged twice: 2,000 points of one interval, then of two").isEqualTo(4);
        assertThat(all.points().stream().mapToLong(RunSeries.Point::processed).sum()).isEqualTo(processed);
        assertThat(all.points().stream().mapToLong(RunSeries.Point::batches).sum()).isEqualTo(processed / 2);
        assertThat(all.points().stream().mapToInt(RunSeries.Point::intervals).sum()).isEqualTo(5_000);
        for (int i = 1; i < all.points().size(); i++) {
            assertThat(all.points().get(i).startMs()).as("point %d starts where the one before ended", i)
                    .isEqualTo(all.points().get(i - 1).endMs());
        }
        assertThat(all.points().get(all.points().size() - 1).endMs()).isEqualTo(5_000 * 250.0);
    }

    @Test
    void mergedNeighboursAddCountsWeighTheMeansAndKeepTheExtremes() {
        RunSeries series = new RunSeries(2);
        series.add(interval(0, 10, 2, 3.0, 4, 1.0, 5.0));
        series.add(interval(1, 30, 0, 1.0, 6, 3.0, 2.0));
        series.add(interval(2, 0, 5, 5.0, 5, 0, 0)); // a third point does not fit: the first two merge

        List<RunSeries.Point> points = series.all().points();
        assertThat(points).hasSize(2);
        RunSeries.Point merged = points.get(0);
        assertThat(merged.intervals()).isEqualTo(2);
        assertThat(merged.processed()).isEqualTo(40);
        assertThat(merged.throughput()).as("40 items in 0.5 s").isEqualTo(80.0);
        assertThat(merged.p50Ms()).as("weighted by items: (10 x 1 + 30 x 3) / 40").isEqualTo(2.5);
        assertThat(merged.p99Ms()).as("the larger").isEqualTo(5.0);
        assertThat(merged.depthMin()).isZero();
        assertThat(merged.depthMax()).isEqualTo(6);
        assertThat(merged.depthMean()).as("over equal times").isEqualTo(2.0);
        assertThat(merged.batches()).isEqualTo(20);
        assertThat(merged.batchMean()).isEqualTo(2.0);
        RunSeries.Point idle = points.get(1);
        assertThat(idle.p50Ms()).as("no item, no latency").isNull();
        assertThat(idle.batchMean()).isNull();
        assertThat(series.all().merge()).isEqualTo(2);
    }

    @Test
    void aStatsEventCarriesTheNewestPointsWithTheirPlace() {
        RunSeries series = new RunSeries();
        for (int i = 0; i < 20; i++) {
            series.add(interval(i, i, 0, 0, 0, 1, 1));
        }

        RunSeries.View tail = series.tail();
        assertThat(tail.size()).isEqualTo(20);
        assertThat(tail.from()).isEqualTo(20 - tail.points().size());
        assertThat(tail.points().get(tail.points().size() - 1).processed()).isEqualTo(19);
    }

    @Test
    void aRunsIntervalSeesTheQueuesFewestAndMostItemsAndItsOwnResults() {
        AtomicLong now = new AtomicLong(0);
        PipelineActivity activity = new PipelineActivity(10, 1, 1, now::get);
        activity.depth(5);
        RunStats stats = new RunStats(activity, "run");
        now.set(100_000);
        activity.depth(9);
        now.set(200_000);
        activity.depth(1);
        stats.processed(0, 2_000); // two items of one batch, its inference counted once for both
        stats.processed(0, 4_000);
        stats.inferred(1_000, 2);
        stats.batched(1, 2, 0);
        now.set(400_000);
        stats.sample(2);

        now.set(500_000);
        activity.depth(3);
        now.set(600_000);
        stats.end(2);
        stats.sample(2); // after the end, nothing more

        List<RunSeries.Point> points = stats.series().all().points();
        assertThat(points).hasSize(2);
        RunSeries.Point first = points.get(0);
        assertThat(first.processed()).isEqualTo(2);
        assertThat(first.depthMin()).isEqualTo(1);
        assertThat(first.depthMax()).isEqualTo(9);
        assertThat(first.depthMean()).as("5 for 0.1 s, 9 for 0.1 s, 1 for 0.2 s").isEqualTo(4.0);
        assertThat(first.p99Ms()).isEqualTo(4.0);
        assertThat(first.batchMean()).isEqualTo(2.0);
        RunStats.Depths depths = stats.depths();
        assertThat(depths.max()).as("the most the queue held in the run, with its mean below it").isEqualTo(9);
        assertThat(depths.mean()).isLessThanOrEqualTo(depths.max());
        RunSeries.Point last = points.get(1);
        assertThat(last.processed()).isZero();
        assertThat(last.p50Ms()).isNull();
        assertThat(last.depthMin()).as("1 at the start of the interval").isEqualTo(1);
        assertThat(last.depthMax()).isEqualTo(3);
        assertThat(last.endMs()).isEqualTo(600.0);
    }
}
