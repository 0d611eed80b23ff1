package dev.mlpipe.model;

import java.util.concurrent.atomic.LongAdder;

/** A backend's time over the items it ran, for the mean time per item a run's worst case counts. Thread-safe. */
final class MeanItemTime {

    private final LongAdder busyNanos = new LongAdder();
    private final LongAdder items = new LongAdder();

    void add(long nanos, int ran) {
        busyNanos.add(nanos);
        items.add(ran);
    }

    /** In milliseconds; 0 before anything ran. */
    double ms() {
        long ran = items.sum();
        return ran == 0 ? 0 : busyNanos.sum() / 1e6 / ran;
    }
}
