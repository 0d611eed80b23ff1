package dev.mlpipe.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 1: a run of random items at {@code inferenceMs: 0} through the default queue of 10, timed by the client, against
 * the plain-threads baseline through a queue of 10, both shapes. Two warm-up runs on each side, then one that counts.
 */
final class InProcessThroughput implements Scenario {

    static final int CAPACITY = 10;
    static final Figure MLPIPE = new Figure("s1.mlpipe.itemsPerSecond", Unit.ITEMS_PER_SECOND);
    static final Figure SERVICE = new Figure("s1.mlpipe.serviceItemsPerSecond", Unit.ITEMS_PER_SECOND);
    static final Figure ONE_THREAD = new Figure("s1.baseline.oneThread.itemsPerSecond", Unit.ITEMS_PER_SECOND);
    static final Figure TWO_THREADS = new Figure("s1.baseline.twoThreads.itemsPerSecond", Unit.ITEMS_PER_SECOND);
    static final List<Target> TARGETS = List.of(Target.Bound.of(MLPIPE, Target.Op.AT_LEAST, 1_000_000),
            new Target.Ratio(MLPIPE, TWO_THREADS, Target.Op.AT_LEAST, 10, "", "the two-thread baseline"));

    @Override
    public String id() {
        return "1";
    }

    @Override
    public String group() {
        return "pipeline";
    }

    @Override
    public List<Figure> figures() {
        return List.of(MLPIPE, SERVICE, ONE_THREAD, TWO_THREADS);
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        int items = h.options().items();
        h.inTurn(() -> {
            try (Service s = h.mlpipe(Map.of())) {
                WarmUp.JIT.apply(Throughput.of(s, RunSpec.random(items), MLPIPE, SERVICE, null), m);
            }
        }, () -> h.eachShape((b, shape) -> WarmUp.JIT.apply(b.side(shape.pick(ONE_THREAD, TWO_THREADS),
                "throughput", items, CAPACITY, shape.word()), m)));
    }

    @Override
    public List<Row> rows(Measurements m) {
        return List.of(new Row(id(), String.format(Locale.ROOT, "in-process pipeline, `inferenceMs: 0`, "
                + "1,000,000 random items (100,000 in a smoke run), queue of %d; by the client's clock (`POST` to the "
                + "poll that sees the run end)", CAPACITY), TARGETS,
                m.show(MLPIPE) + " (the service's own: " + m.number(SERVICE) + ")",
                "one thread: " + m.show(ONE_THREAD) + "; two threads: " + m.show(TWO_THREADS),
                m.ratio(MLPIPE, ONE_THREAD) + " one thread, " + m.ratio(MLPIPE, TWO_THREADS) + " two"));
    }
}
