package dev.mlpipe.observe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import io.prometheus.client.Collector;

/**
 * An item's three times as Prometheus histograms, {@code mlpipe_item_queue_wait_seconds}, {@code
 * mlpipe_item_inference_seconds} and {@code mlpipe_item_total_seconds} ({@code _bucket}, {@code _count}, {@code _sum},
 * and a {@code _max} gauge), in the form Micrometer's timers gave them, a series for each model (its {@code model}
 * label). A collector of our own rather than three Micrometer timers: a timer records each value into each of its
 * time windows and its decaying maximum, too much for the model's thread once batches make items cheap (BENCHMARKS.md,
 * batching). A value is counted first in a run's {@link Tally} (plain arrays, under the run's lock) and the tally
 * added to its model's {@link Series} once per burst of results, so the shared adders cost an item nothing more than
 * an adder per burst.
 */
final class ItemTimes extends Collector {

    /** Upper bounds of the buckets, in microseconds: 10 us to a minute, about three a decade. */
    static final long[] BOUNDS_US = { 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000,
            250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000 };
    /**
     * Where to start looking for a value's bucket, by the value's bit length: the first bound at least 2^(length - 1).
     * Bounds are 2 to 2.5 times apart, so a value is at most two steps from it.
     */
    private static final int[] FIRST_BY_BITS = new int[65];

    static {
        for (int bits = 0; bits < FIRST_BY_BITS.length; bits++) {
            long least = bits == 0 ? 0 : 1L << Math.min(62, bits - 1);
            int i = 0;
            while (i < BOUNDS_US.length && BOUNDS_US[i] < least) {
                i++;
            }
            FIRST_BY_BITS[bits] = i;
        }
    }

    /** The index of the first bound at least {@code us} (a value on a bound counts in its bucket), or past the last. */
    static int bucket(long us) {
        int i = FIRST_BY_BITS[64 - Long.numberOfLeadingZeros(us)];
        while (i < BOUNDS_US.length && us > BOUNDS_US[i]) {
            i++;
        }
        return i;
    }

    /**
     * {@code _max} is the longest value of the current window and the one before (each at least this long, rolled at a
     * scrape): at least the last minute, as Micrometer's covered the last two.
     */
    static final long MAX_WINDOW_NS = TimeUnit.MINUTES.toNanos(1);

    private static final String[] NAMES = { "mlpipe_item_queue_wait_seconds", "mlpipe_item_inference_seconds",
            "mlpipe_item_total_seconds" };
    private static final String[] HELP = { "Time an item waited in the queue for the model",
            "Time the model worked on an item", "Time from loading an item to its result" };

    /** Each model's three histograms, by its name: a scrape lists them in the names' order. */
    private final Map<String, Series> byModel = new ConcurrentSkipListMap<>();

    /** The histograms of {@code model}'s items, made at its first use. */
    Series of(String model) {
        return byModel.computeIfAbsent(model, Series::new);
    }

    @Override
    public List<MetricFamilySamples> collect() {
        long now = System.nanoTime();
        List<MetricFamilySamples> families = new ArrayList<>(2 * NAMES.length);
        for (int kind = 0; kind < NAMES.length; kind++) {
            List<MetricFamilySamples.Sample> samples = new ArrayList<>();
            List<MetricFamilySamples.Sample> max = new ArrayList<>();
            for (Series series : byModel.values()) {
                series.times[kind].collect(NAMES[kind], samples, max, now);
            }
            families.add(new MetricFamilySamples(NAMES[kind], Type.HISTOGRAM, HELP[kind], samples));
            families.add(new MetricFamilySamples(NAMES[kind] + "_max", Type.GAUGE, HELP[kind] + ", the longest lately",
                    max));
        }
        return families;
    }

    /** One model's three histograms: its items' queue wait, inference and total time. */
    static final class Series {
        private final Times[] times;

        private Series(String model) {
            times = new Times[] { new Times(model), new Times(model), new Times(model) };
        }

        /** Adds what {@code tally} counted and empties it. */
        void add(Tally tally) {
            times[0].add(tally.queueWait);
            times[1].add(tally.inference);
            times[2].add(tally.total);
        }
    }

    /** An item's three times counted by one thread (a run's, under its lock), to be {@link #add added} at once. */
    static final class Tally {
        private final Counts queueWait = new Counts();
        private final Counts inference = new Counts();
        private final Counts total = new Counts();

        void record(long queueWaitUs, long inferenceUs, long totalUs) {
            queueWait.record(queueWaitUs, 1);
            inference.record(inferenceUs, 1);
            total.record(totalUs, 1);
        }

        /** An item's queue wait and total time; its inference is counted with its batch's ({@link #inference}). */
        void record(long queueWaitUs, long totalUs) {
            queueWait.record(queueWaitUs, 1);
            total.record(totalUs, 1);
        }

        /** The inference time of {@code items} items that ran as one batch: one figure, counted {@code items} times. */
        void inference(long inferenceUs, long items) {
            inference.record(inferenceUs, items);
        }
    }

    /**
     * One histogram's counts not yet added: by bucket, their sum and their maximum, and the buckets touched, so that a
     * tally of one item (a batch of one) adds one bucket rather than scanning all. The last value's bucket is kept: the
     * items of a loader's chunk share their load and queue times, so most values repeat the one before.
     */
    private static final class Counts {
        private final long[] counts = new long[BOUNDS_US.length + 1];
        private long sumUs;
        private long maxUs;
        private int lowest = Integer.MAX_VALUE;
        private int highest = -1;
        /** The last value recorded since the last {@link Times#add}, and its bucket; -1 for none. */
        private long lastUs = -1;
        private int lastBucket;

        void record(long micros, long times) {
            long us = Math.max(0, micros);
            if (us != lastUs) {
                lastUs = us;
                lastBucket = bucket(us);
                maxUs = Math.max(maxUs, us);
                lowest = Math.min(lowest, lastBucket);
                highest = Math.max(highest, lastBucket);
            }
            counts[lastBucket] += times;
            sumUs += us * times;
        }
    }

    /** One model's histogram of one of the times, and its maximum. */
    private static final class Times {
        private static final List<String> MODEL_LE = List.of("model", "le");
        private static final List<String> MODEL = List.of("model");
        private final String model;
        private final LongAdder[] counts = new LongAdder[BOUNDS_US.length + 1]; // the last: above a minute
        private final LongAdder sumUs = new LongAdder();
        private final LongAccumulator max = new LongAccumulator(Math::max, 0);
        // guarded by this, as the roll of the window: the previous window's maximum, and when the current one began
        private long previousMax;
        private long windowStartNs = System.nanoTime();

        Times(String model) {
            this.model = model;
            Arrays.setAll(counts, i -> new LongAdder());
        }

        void add(Counts pending) {
            if (pending.highest < 0) {
                return;
            }
            for (int i = pending.lowest; i <= pending.highest; i++) {
                if (pending.counts[i] != 0) {
                    counts[i].add(pending.counts[i]);
                    pending.counts[i] = 0;
                }
            }
            sumUs.add(pending.sumUs);
            max.accumulate(pending.maxUs);
            pending.sumUs = 0;
            pending.maxUs = 0;
            pending.lowest = Integer.MAX_VALUE;
            pending.highest = -1;
            pending.lastUs = -1;
        }

        void collect(String name, List<MetricFamilySamples.Sample> samples, List<MetricFamilySamples.Sample> max,
                long nowNs) {
            long cumulative = 0;
            for (int i = 0; i < BOUNDS_US.length; i++) {
                cumulative += counts[i].sum();
                samples.add(new MetricFamilySamples.Sample(name + "_bucket", MODEL_LE,
                        List.of(model, Collector.doubleToGoString(seconds(BOUNDS_US[i]))), cumulative));
            }
            cumulative += counts[BOUNDS_US.length].sum();
            samples.add(new MetricFamilySamples.Sample(name + "_bucket", MODEL_LE, List.of(model, "+Inf"), cumulative));
            List<String> labels = List.of(model);
            samples.add(new MetricFamilySamples.Sample(name + "_count", MODEL, labels, cumulative));
            samples.add(new MetricFamilySamples.Sample(name + "_sum", MODEL, labels, seconds(sumUs.sum())));
            max.add(new MetricFamilySamples.Sample(name + "_max", MODEL, labels, seconds(maxSince(nowNs))));
        }

        /** Rolls the window when it is over, at a scrape: a value is recorded with no reading of the clock. */
        private synchronized long maxSince(long nowNs) {
            long elapsed = nowNs - windowStartNs;
            if (elapsed >= MAX_WINDOW_NS) {
                previousMax = max.getThenReset(); // a value recorded meanwhile may count in either window
                windowStartNs = nowNs;
            }
            return Math.max(previousMax, max.get());
        }

        /** Seconds as Micrometer converts them (from nanoseconds), so that the buckets' {@code le} read the same. */
        private static double seconds(long micros) {
            return micros * 1_000L / 1e9;
        }
    }
}
