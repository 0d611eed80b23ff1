package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The load a loader offered, from its draws and waits: what a sweep reports for an unpaced loader; and the latency
 * percentiles of a run whose items come in batches, many with the same times.
 */
class RunStatsTest {

    private final RunStats stats = new RunStats(new PipelineActivity(10, 1), "run");

    private Double offeredLoad() {
        return stats.snapshot(0, 0, 0).offeredLoad();
    }

    @Test
    void aLoaderThatNeverWaitsOffersItsDrawRate() {
        for (int i = 0; i < 5; i++) {
            long drawnUs = 1_000 + i * 250L; // one item every 250 us: 4,000 items/s
            stats.drawn(drawnUs, 1);
            stats.entered(drawnUs, drawnUs);
        }

        assertThat(offeredLoad()).isEqualTo(4_000.0);
    }

    @Test
    void waitingForRoomOrForClientsIsNotOfferingLess() {
        stats.drawn(0, 1);
        stats.entered(0, 10_000); // 10 ms for room
        stats.drawn(10_100, 1);
        stats.entered(10_100, 10_100);
        stats.pauseStarted(10_150);
        stats.pauseEnded(30_150); // 20 ms for a slow client
        stats.drawn(30_200, 1);

        // two gaps of 100 us of the loader's own time: 10,000 items/s, though it drew only 3 in 30 ms
        assertThat(offeredLoad()).isEqualTo(10_000.0);
    }

    @Test
    void aWaitBeforeTheFirstDrawIsNoGap() {
        stats.pauseStarted(0);
        stats.pauseEnded(50_000);
        stats.drawn(50_000, 1);
        stats.entered(50_000, 50_000);
        stats.drawn(51_000, 1);

        assertThat(offeredLoad()).isEqualTo(1_000.0);
    }

    @Test
    void oneDrawOffersNoRateYet() {
        assertThat(offeredLoad()).isNull();
        stats.drawn(0, 1);
        assertThat(offeredLoad()).isNull();
    }

    /** One item processed alone: its queue wait and total time, and its inference counted once (a batch of one). */
    private void processed(long queueWaitUs, long inferenceUs, long totalUs) {
        stats.processed(queueWaitUs, totalUs);
        stats.inferred(inferenceUs, 1);
    }

    @Test
    void itemsWithTheSameTimesEachCountAndALiveReadSeesTheLatest() {
        for (int i = 0; i < 98; i++) {
            processed(1_000, 500, 2_000); // a batch: the same times for each of its items
        }
        processed(5_000, 500, 9_000);

        RunStats.Snapshot mid = stats.snapshot(99, 99, 0);
        assertThat(mid.queueWaitMs().p50()).isCloseTo(1.0, within(0.01)); // to 2 significant digits
        assertThat(mid.queueWaitMs().max()).as("the latest item, read while the run goes on").isEqualTo(5.0);
        assertThat(mid.inferenceMs().p99()).isEqualTo(0.5);

        processed(5_000, 500, 9_000); // the same as the one before, after a read
        RunStats.Snapshot later = stats.snapshot(100, 100, 0);
        assertThat(later.totalMs().p99()).as("two of 100 items took 9 ms").isCloseTo(9.0, within(0.09));
        assertThat(later.totalMs().p95()).isCloseTo(2.0, within(0.02));
        assertThat(later.totalMs().mean()).isCloseTo(2.14, within(0.03));
        assertThat(stats.totalWithin(2_000)).isEqualTo(0.98);
    }

    @Test
    void aGoodputReadSeesItemsWithTheSameTimesBeforeAnythingElseIsRead() {
        for (int i = 0; i < 9; i++) {
            processed(10, 10, 1_000);
        }
        processed(10, 10, 50_000);
        processed(10, 10, 50_000);

        assertThat(stats.totalWithin(1_000)).as("9 of 11 within 1 ms").isCloseTo(9 / 11.0, within(1e-9));
    }
}
