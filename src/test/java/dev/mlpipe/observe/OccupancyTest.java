package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;

class OccupancyTest {

    @Test
    void aSteadyLevelIsItsOwnMean() {
        Occupancy occupancy = new Occupancy();
        occupancy.set(4);
        Occupancy.Reading from = occupancy.read();
        await().until(() -> occupancy.read().atUs() > from.atUs() + 2_000);

        assertThat(occupancy.read().meanSince(from)).isEqualTo(4.0);
    }

    @Test
    void theMeanWeighsEachLevelByHowLongItLasted() {
        Occupancy occupancy = new Occupancy();
        Occupancy.Reading from = occupancy.read();
        await().until(() -> occupancy.read().atUs() > from.atUs() + 5_000);
        Occupancy.Reading low = occupancy.read();
        occupancy.add(10);
        await().until(() -> occupancy.read().atUs() > low.atUs() + 5_000);
        Occupancy.Reading to = occupancy.read();

        double expected = 10.0 * (to.atUs() - low.atUs()) / (to.atUs() - from.atUs());
        assertThat(to.meanSince(from)).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.05));
        assertThat(to.level()).isEqualTo(10);
    }
}
