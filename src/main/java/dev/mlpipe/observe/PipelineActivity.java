package dev.mlpipe.observe;

import dev.mlpipe.config.MlpipeConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The two levels that tell who waits for whom, shared by every run: how full the queue is, and how many of the
 * model's slots are busy. A run reads both at its start and at its end to get its own means and shares.
 */
@ApplicationScoped
public class PipelineActivity {

    private final Occupancy queueDepth = new Occupancy();
    private final Occupancy modelBusy = new Occupancy();
    private final Occupancy.Reading started = modelBusy.read();
    private final int capacity;
    private final int concurrency;

    PipelineActivity(MlpipeConfig config) {
        this.capacity = config.queue().capacity();
        this.concurrency = config.model().concurrency();
    }

    public Occupancy queueDepth() {
        return queueDepth;
    }

    public Occupancy modelBusy() {
        return modelBusy;
    }

    public int capacity() {
        return capacity;
    }

    public int concurrency() {
        return concurrency;
    }

    /** Share of the time between two readings that the model's slots, averaged, had no item to work on. */
    public double modelIdleShare(Occupancy.Reading from, Occupancy.Reading to) {
        return Math.max(0, 1 - to.meanSince(from) / concurrency);
    }

    /** Seconds since start-up the model had nothing to do, its slots averaged. */
    public double modelIdleSeconds() {
        Occupancy.Reading now = modelBusy.read();
        return modelIdleShare(started, now) * (now.atUs() - started.atUs()) / 1e6;
    }
}
