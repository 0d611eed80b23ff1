package dev.mlpipe.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

import io.prometheus.client.Collector;

/**
 * The {@code mlpipe_batch_size} histogram: how many items a model ran as one inference, in power-of-two buckets, a
 * series for each model (its {@code model} label). A collector of its own rather than a Micrometer summary: a
 * summary's recording (buckets, sum, a windowed maximum) cost the one-item path as much as an item's three timers,
 * while here a batch is one counter added to (BENCHMARKS.md, scenario 1).
 */
final class BatchSizes extends Collector {

    /** Upper bounds of the buckets: 1, 2, 4, ... 4096 (a model's max-batch-size at most). */
    static final int BUCKETS = 13;
    private static final String NAME = "mlpipe_batch_size";
    private static final List<String> MODEL_LE = List.of("model", "le");
    private static final List<String> MODEL = List.of("model");

    /** Each model's histogram, by its name: a scrape lists them in the names' order. */
    private final Map<String, Series> byModel = new ConcurrentSkipListMap<>();

    /** The histogram of {@code model}'s batches, made at its first use. */
    Series of(String model) {
        return byModel.computeIfAbsent(model, Series::new);
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples.Sample> samples = new ArrayList<>(byModel.size() * (BUCKETS + 3));
        for (Series series : byModel.values()) {
            series.collect(samples);
        }
        return List.of(new MetricFamilySamples(NAME, Type.HISTOGRAM, "Items the model ran as one inference", samples));
    }

    /** One model's batch sizes. */
    static final class Series {
        private final String model;
        private final LongAdder[] counts = new LongAdder[BUCKETS + 1]; // the last: above 4096
        /** Items beyond each batch's first: the sum is these and the count, so a batch of one adds to one counter. */
        private final LongAdder extraItems = new LongAdder();

        private Series(String model) {
            this.model = model;
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void record(int size) {
            int bucket = size <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(size - 1); // the smallest 2^k >= size
            counts[Math.min(bucket, BUCKETS)].increment();
            if (size > 1) {
                extraItems.add(size - 1);
            }
        }

        private void collect(List<MetricFamilySamples.Sample> samples) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS; i++) {
                cumulative += counts[i].sum();
                samples.add(new MetricFamilySamples.Sample(NAME + "_bucket", MODEL_LE,
                        List.of(model, Collector.doubleToGoString(1 << i)), cumulative));
            }
            cumulative += counts[BUCKETS].sum();
            samples.add(new MetricFamilySamples.Sample(NAME + "_bucket", MODEL_LE, List.of(model, "+Inf"), cumulative));
            List<String> labels = List.of(model);
            samples.add(new MetricFamilySamples.Sample(NAME + "_count", MODEL, labels, cumulative));
            samples.add(new MetricFamilySamples.Sample(NAME + "_sum", MODEL, labels, cumulative + extraItems.sum()));
        }
    }
}
