package dev.mlpipe.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.prometheus.client.Collector;

/**
 * The {@code mlpipe_batch_size} histogram: how many items the model ran as one inference, in power-of-two buckets. A
 * collector of its own rather than a Micrometer summary: a summary's recording (buckets, sum, a windowed maximum) cost
 * the one-item path as much as an item's three timers, while here a batch is one counter added to (BENCHMARKS.md,
 * scenario 1).
 */
final class BatchSizes extends Collector {

    /** Upper bounds of the buckets: 1, 2, 4, ... 4096 (mlpipe.models.simulated.max-batch-size at most). */
    static final int BUCKETS = 13;
    private static final String NAME = "mlpipe_batch_size";

    private final LongAdder[] counts = new LongAdder[BUCKETS + 1]; // the last: above 4096
    /** Items beyond the first of each batch: the sum is these and the count, so a batch of one adds to one counter. */
    private final LongAdder extraItems = new LongAdder();

    BatchSizes() {
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

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples.Sample> samples = new ArrayList<>(BUCKETS + 3);
        List<String> le = List.of("le");
        long cumulative = 0;
        for (int i = 0; i < BUCKETS; i++) {
            cumulative += counts[i].sum();
            samples.add(new MetricFamilySamples.Sample(NAME + "_bucket", le, List.of(Collector.doubleToGoString(1 << i)),
                    cumulative));
        }
        cumulative += counts[BUCKETS].sum();
        samples.add(new MetricFamilySamples.Sample(NAME + "_bucket", le, List.of("+Inf"), cumulative));
        samples.add(new MetricFamilySamples.Sample(NAME + "_count", List.of(), List.of(), cumulative));
        samples.add(new MetricFamilySamples.Sample(NAME + "_sum", List.of(), List.of(), cumulative + extraItems.sum()));
        return List.of(new MetricFamilySamples(NAME, Type.HISTOGRAM, "Items the model ran as one inference", samples));
    }
}
