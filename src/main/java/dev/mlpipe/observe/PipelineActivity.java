package dev.mlpipe.observe;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.config.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

/**
 * Who waits for whom, measured as levels over time, shared by every run: items in the queue, model slots at work,
 * and model slots that have nothing to do because the queue is empty (the model waiting for data; a slot that is
 * between two items while the queue holds the next one is not waiting). Each level is kept with its integral over
 * time, so the mean over any interval is the difference of two readings divided by its length; a run reads at its
 * start and at its end. The slots are integrated too, as their number may change live. Each run's own items in the
 * queue are a level of their own ({@link OwnDepth}), changed under the same lock as the whole depth.
 */
@Singleton // called for every item: no client proxy between the pipeline and this bean
public class PipelineActivity {

    /**
     * Integrals are in level x microseconds.
     *
     * @param own a run's own items in the queue at the same moment, when read with it ({@link #read(OwnDepth)}); null
     *        else
     */
    public record Reading(long atUs, long depthIntegral, long busyIntegral, long idleIntegral, long slotIntegral,
            int depth, int busy, OwnDepth.Reading own) {

        /** Mean items in the queue between an earlier reading and this one. */
        public double meanDepthSince(Reading earlier) {
            long span = atUs - earlier.atUs;
            return span <= 0 ? depth : (double) (depthIntegral - earlier.depthIntegral) / span;
        }
    }

    // written under this, with the integrals brought up to the moment of the change
    private volatile int capacity;
    private volatile int concurrency;
    private volatile int maxBatchSize;
    private final LongSupplier nowUs;
    private final Reading started;
    /** What the model's items wait for beyond the queue, in words; null for nothing (always, in one process). */
    private volatile String waitingFor;
    // guarded by this
    private int depth;
    private final int[] lanes = new int[Priority.LEVELS];
    private int busy;
    private long depthIntegral;
    private long busyIntegral;
    private long idleIntegral;
    private long slotIntegral;
    private long sinceUs;
    /** The open depth windows, each a run's: every change of depth widens them all. */
    private DepthWindow[] windows = new DepthWindow[0];
    /** The runs going, by id: items of another id (a v2 request's, an ended run's) count in the whole depth only. */
    private final Map<String, OwnDepth> own = new HashMap<>();

    @Inject
    PipelineActivity(MlpipeConfig config) {
        this(config.simulated().capacity(), config.simulated().concurrency(), config.simulated().maxBatchSize());
    }

    public PipelineActivity(int capacity, int concurrency) {
        this(capacity, concurrency, 1);
    }

    public PipelineActivity(int capacity, int concurrency, int maxBatchSize) {
        this(capacity, concurrency, maxBatchSize, Clock::nowUs);
    }

    /** @param nowUs the time in microseconds: {@link Clock#nowUs()}, or a test's hand-driven clock */
    public PipelineActivity(int capacity, int concurrency, int maxBatchSize, LongSupplier nowUs) {
        this.capacity = capacity;
        this.concurrency = concurrency;
        this.maxBatchSize = maxBatchSize;
        this.nowUs = nowUs;
        this.sinceUs = nowUs.getAsLong();
        this.started = read();
    }

    public int capacity() {
        return capacity;
    }

    /** @return what the model's items wait for beyond the queue (with a broker: a worker that consumes them), or null */
    public String waitingFor() {
        return waitingFor;
    }

    /** @param why what the model's items wait for beyond the queue now, in words; null for nothing */
    public void waitingFor(String why) {
        waitingFor = why;
    }

    public int concurrency() {
        return concurrency;
    }

    /** Items the model takes at most as one batch: a batch this big is full. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** The queue now holds this many items, all of one level (a broker's queue, which has no levels here). */
    public synchronized void depth(int items) {
        advance();
        depth = items;
        lanes[Priority.DEFAULT - 1] = items;
        widenWindows();
    }

    /** The queue now holds this many items, {@code laneItems} of them of this priority. */
    public synchronized void depth(int items, int priority, int laneItems) {
        advance();
        lane(items, priority, laneItems);
    }

    private void lane(int items, int priority, int laneItems) {
        depth = items;
        lanes[priority - 1] = laneItems;
        widenWindows();
    }

    /**
     * The queue now holds this many items, {@code laneItems} of them of this priority, after {@code entered} items of
     * run {@code runId} entered it.
     */
    public synchronized void entered(int items, int priority, int laneItems, String runId, int entered) {
        advance();
        lane(items, priority, laneItems);
        ownChange(runId, entered);
    }

    /** {@code items} of run {@code runId} entered a queue whose depth is told apart (a broker's, sampled). */
    public synchronized void entered(String runId, int items) {
        advance();
        ownChange(runId, items);
    }

    /**
     * {@code items} of run {@code runId} left the queue (taken, expired or discarded), and more leave before the
     * depth is told: told first, so that a run's own depth is never seen above the whole.
     */
    public synchronized void left(String runId, int items) {
        advance();
        ownChange(runId, -items);
    }

    /** {@code left} items of run {@code runId} left the queue, which now holds {@code items}, as {@link #depth}. */
    public synchronized void left(String runId, int left, int items, int priority, int laneItems) {
        advance();
        ownChange(runId, -left);
        lane(items, priority, laneItems);
    }

    private void ownChange(String runId, int delta) {
        if (!own.isEmpty()) {
            OwnDepth depth = own.get(runId);
            if (depth != null) {
                depth.change(sinceUs, delta);
            }
        }
    }

    /** From now until {@link #closeOwn}, this run's items in the queue are counted apart as well. */
    public synchronized OwnDepth openOwn(String runId) {
        advance();
        OwnDepth depth = new OwnDepth(sinceUs);
        own.put(runId, depth);
        return depth;
    }

    /** A reading with a run's own items in the queue at the same moment: neither mean is ahead of the other. */
    public synchronized Reading read(OwnDepth depth) {
        advance();
        return new Reading(sinceUs, depthIntegral, busyIntegral, idleIntegral, slotIntegral, this.depth, busy,
                depth.read(sinceUs));
    }

    /** The run ended: its last reading; its items still queued are removed without it. */
    public synchronized Reading closeOwn(String runId, OwnDepth depth) {
        own.remove(runId, depth);
        return read(depth);
    }

    private void widenWindows() {
        for (DepthWindow window : windows) {
            window.min = Math.min(window.min, depth);
            window.max = Math.max(window.max, depth);
        }
    }

    /** The fewest and most items the queue held over a stretch of time. */
    public record DepthRange(int min, int max) {
    }

    /**
     * The queue's depth range from now on, for one reader (a run's series): each {@link DepthWindow#take} gives the
     * range since the last and starts the next at the depth of the moment; {@link DepthWindow#close} when done.
     */
    public synchronized DepthWindow openWindow() {
        DepthWindow window = new DepthWindow(depth);
        windows = Arrays.copyOf(windows, windows.length + 1);
        windows[windows.length - 1] = window;
        return window;
    }

    public final class DepthWindow {
        // guarded by the activity
        private int min;
        private int max;

        private DepthWindow(int depth) {
            min = depth;
            max = depth;
        }

        public DepthRange take() {
            synchronized (PipelineActivity.this) {
                DepthRange range = new DepthRange(min, max);
                min = depth;
                max = depth;
                return range;
            }
        }

        /** The range so far, the window left as it is. */
        public DepthRange peek() {
            synchronized (PipelineActivity.this) {
                return new DepthRange(min, max);
            }
        }

        public void close() {
            synchronized (PipelineActivity.this) {
                windows = Arrays.stream(windows).filter(w -> w != this).toArray(DepthWindow[]::new);
            }
        }
    }

    /** The settings changed live: levels from now on count against the new ones. */
    void changed(@Observes PipelineSettings.Changed change) {
        resized(change.after().capacity(), change.after().concurrency(), change.after().maxBatchSize());
    }

    /** The settings of the model this activity is of changed live (a model other than the simulated bean's). */
    public synchronized void resized(int capacity, int concurrency, int maxBatchSize) {
        advance();
        this.capacity = capacity;
        this.concurrency = concurrency;
        this.maxBatchSize = maxBatchSize;
    }

    /** The model began work on a batch. */
    public synchronized void modelStarted() {
        advance();
        busy++;
    }

    /** The model finished a batch. */
    public synchronized void modelFinished() {
        advance();
        busy--;
    }

    public synchronized int depth() {
        return depth;
    }

    /** Items in the queue now, by priority: the first level's first. */
    public synchronized int[] depthByPriority() {
        return lanes.clone();
    }

    public synchronized int laneDepth(int priority) {
        return lanes[priority - 1];
    }

    public synchronized Reading read() {
        advance();
        return new Reading(sinceUs, depthIntegral, busyIntegral, idleIntegral, slotIntegral, depth, busy, null);
    }

    /** Share of the time between two readings that the model waited for data, its slots averaged. */
    public double modelIdleShare(Reading from, Reading to) {
        long slotTime = to.slotIntegral() - from.slotIntegral();
        return slotTime <= 0 ? 0 : Math.min(1, (double) (to.idleIntegral() - from.idleIntegral()) / slotTime);
    }

    /** Seconds since start-up the model waited for data, its slots averaged. */
    public double modelIdleSeconds() {
        Reading now = read();
        return modelIdleShare(started, now) * (now.atUs() - started.atUs()) / 1e6;
    }

    private void advance() {
        long now = nowUs.getAsLong();
        long span = now - sinceUs;
        depthIntegral += depth * span;
        busyIntegral += busy * span;
        slotIntegral += concurrency * span;
        if (depth == 0) {
            idleIntegral += Math.max(0, concurrency - busy) * span;
        }
        sinceUs = now;
    }
}
