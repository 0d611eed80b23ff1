package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The loader loads while it is less than a window ahead of its slowest lossless reader. */
class PaceGateTest {

    private final AtomicLong slowest = new AtomicLong(Long.MAX_VALUE);
    private final PaceGate gate = new PaceGate(8, slowest::get);
    private final AtomicInteger resumed = new AtomicInteger();

    @Test
    void withoutALosslessReaderTheLoaderNeverWaits() {
        assertThat(gate.mayLoad(1_000_000, resumed::incrementAndGet)).isTrue();
        assertThat(gate.within(Long.MAX_VALUE - 1)).isTrue();
    }

    @Test
    void theLoaderWaitsAWindowAheadOfTheSlowestReaderAndGoesOnOnceAQuarterIsRead() {
        slowest.set(0);
        gate.opened(0);
        assertThat(gate.room(5)).as("a look every 3 items").isEqualTo(3);

        assertThat(gate.mayLoad(7, resumed::incrementAndGet)).isTrue();
        assertThat(gate.mayLoad(8, resumed::incrementAndGet)).as("a window ahead").isFalse();
        slowest.set(1);
        gate.moved(1);
        assertThat(resumed).as("one read is not a quarter of the window").hasValue(0);
        slowest.set(2);
        gate.moved(2);
        assertThat(resumed).as("two are").hasValue(1);
        assertThat(gate.mayLoad(9, resumed::incrementAndGet)).isTrue();
        assertThat(gate.within(10)).isFalse();
    }

    @Test
    void aReaderThatJoinsBehindHoldsTheLoaderAtOnce() {
        assertThat(gate.mayLoad(100, resumed::incrementAndGet)).isTrue();
        slowest.set(50);

        gate.opened(50);

        assertThat(gate.within(57)).isTrue();
        assertThat(gate.within(58)).isFalse();
        assertThat(gate.mayLoad(100, resumed::incrementAndGet)).isFalse();
    }

    @Test
    void theLoadersResumeRunsAfterTheGatesLockIsLetGo() {
        slowest.set(0);
        gate.opened(0);
        boolean[] underTheLock = { true };
        assertThat(gate.mayLoad(8, () -> underTheLock[0] = Thread.holdsLock(gate))).isFalse();

        slowest.set(Long.MAX_VALUE); // the reader left
        gate.moved(Long.MAX_VALUE);

        assertThat(underTheLock[0]).isFalse();
    }
}
