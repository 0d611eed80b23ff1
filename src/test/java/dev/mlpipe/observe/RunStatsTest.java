package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The load a loader offered, from its draws and waits: what a sweep reports for an unpaced loader. */
class RunStatsTest {

    private final RunStats stats = new RunStats(new PipelineActivity(10, 1));

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
}
