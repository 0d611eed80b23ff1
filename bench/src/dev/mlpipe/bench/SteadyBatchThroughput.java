package dev.mlpipe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * 1b: scenario 1 in steady state ({@link WarmUp#STEADY}) with a queue of 1024, on a service with
 * {@code mlpipe.models.simulated.max-batch-size} 1 and one with {@value #BATCH} (no batch delay: a batch takes what is queued; a
 * queue of 10 would keep batches at 10), against the baseline through a queue of 1024 under the same warm-up rule.
 */
final class SteadyBatchThroughput implements Scenario {

    static final int CAPACITY = 1024;
    static final int BATCH = 64;
    static final Figure ONE = new Figure("s1b.batch1.itemsPerSecond", Unit.ITEMS_PER_SECOND);
    static final Figure ONE_SERVICE = new Figure("s1b.batch1.serviceItemsPerSecond", Unit.ITEMS_PER_SECOND);
    static final Figure ONE_SIZE = new Figure("s1b.batch1.meanBatchSize", Unit.COUNT);
    static final Figure MANY = new Figure("s1b.batch64.itemsPerSecond", Unit.ITEMS_PER_SECOND);
    static final Figure MANY_SERVICE = new Figure("s1b.batch64.serviceItemsPerSecond", Unit.ITEMS_PER_SECOND);
    static final Figure MANY_SIZE = new Figure("s1b.batch64.meanBatchSize", Unit.COUNT);
    static final Figure ONE_THREAD = new Figure("s1b.baseline.oneThread.itemsPerSecond", Unit.ITEMS_PER_SECOND);
    static final Figure TWO_THREADS = new Figure("s1b.baseline.twoThreads.itemsPerSecond", Unit.ITEMS_PER_SECOND);

    @Override
    public String id() {
        return "1b";
    }

    @Override
    public String group() {
        return "batch-throughput";
    }

    @Override
    public List<Figure> figures() {
        return List.of(ONE, ONE_SERVICE, ONE_SIZE, MANY, MANY_SERVICE, MANY_SIZE, ONE_THREAD, TWO_THREADS);
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        int items = h.options().items();
        h.inTurn(() -> {
            for (int batch : new int[] { 1, BATCH }) {
                try (Service s = h.mlpipe(Map.of("mlpipe.models.simulated.max-batch-size", Integer.toString(batch),
                        "mlpipe.models.simulated.capacity", Integer.toString(CAPACITY)))) {
                    WarmUp.STEADY.apply(batch == 1
                            ? Throughput.of(s, RunSpec.random(items), ONE, ONE_SERVICE, ONE_SIZE)
                            : Throughput.of(s, RunSpec.random(items), MANY, MANY_SERVICE, MANY_SIZE), m);
                }
            }
        }, () -> h.eachShape((b, shape) -> WarmUp.STEADY.apply(b.side(shape.pick(ONE_THREAD, TWO_THREADS),
                "throughput", items, CAPACITY, shape.word()), m)));
    }

    @Override
    public List<Row> rows(Measurements m) {
        List<Row> rows = new ArrayList<>();
        String base = "one thread: " + m.show(ONE_THREAD) + "; two threads: " + m.show(TWO_THREADS);
        rows.add(new Row(id(), "scenario 1 in steady state (the runs after the heap has filled), queue of " + CAPACITY
                + " on both sides, `mlpipe.models.simulated.max-batch-size` 1", List.of(Target.Bound.of(ONE, Target.Op.AT_LEAST,
                        1_000_000)), m.show(ONE) + " (the service's own: " + m.number(ONE_SERVICE) + ")", base,
                m.ratio(ONE, ONE_THREAD) + " one thread, " + m.ratio(ONE, TWO_THREADS) + " two"));
        rows.add(new Row(id(), "the same at `max-batch-size` " + BATCH + " (batches of " + m.number(MANY_SIZE)
                + " on average)", List.of(Target.Bound.of(MANY, Target.Op.AT_LEAST, 3_000_000)), m.show(MANY)
                + " (the service's own: " + m.number(MANY_SERVICE) + ")", base,
                m.ratio(MANY, ONE_THREAD) + " one thread, " + m.ratio(MANY, TWO_THREADS) + " two"));
        return rows;
    }
}
