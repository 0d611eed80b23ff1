package dev.mlpipe.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 3a and 3b: {@value #ITEMS} items of {@code inferenceMs: 10}, loader unpaced, on a service with
 * {@code mlpipe.models.simulated.concurrency} slots: ideal time (items x 10 ms / slots) / actual time (first item loaded to last
 * finished, from the items' times). The baseline waits as the service does ({@link SpinWait}), in both shapes. One
 * warm-up run on each side, then one that counts.
 */
final class Efficiency implements Scenario {

    static final int ITEMS = 500;
    static final int SMOKE_ITEMS = 100;
    static final int MS = 10;
    static final Efficiency ONE_SLOT = new Efficiency("3a", 1);
    static final Efficiency EIGHT_SLOTS = new Efficiency("3b", 8);

    private final String id;
    private final int slots;
    private final Figure mlpipe;
    private final Figure oneThread;
    private final Figure twoThreads;

    private Efficiency(String id, int slots) {
        this.id = id;
        this.slots = slots;
        this.mlpipe = new Figure("s" + id + ".mlpipe.efficiency", Unit.EFFICIENCY);
        this.oneThread = new Figure("s" + id + ".baseline.oneThread.efficiency", Unit.EFFICIENCY);
        this.twoThreads = new Figure("s" + id + ".baseline.twoThreads.efficiency", Unit.EFFICIENCY);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String group() {
        return "efficiency";
    }

    @Override
    public List<Figure> figures() {
        return List.of(mlpipe, oneThread, twoThreads);
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        int items = h.options().smoke() ? SMOKE_ITEMS : ITEMS;
        h.inTurn(() -> {
            try (Service s = h.mlpipe(Map.of("mlpipe.models.simulated.concurrency", Integer.toString(slots)))) {
                WarmUp.ONE.apply(Side.of(() -> {
                    Timeline t = Timeline.of(s.client(), RunSpec.listed(items, MS));
                    return Map.of(mlpipe, items * MS * 1000.0 / slots / t.spanUs());
                }), m);
            }
        }, () -> h.eachShape((b, shape) -> WarmUp.ONE.apply(b.side(shape.pick(oneThread, twoThreads),
                "efficiency", items, MS, slots, shape.word()), m)));
    }

    @Override
    public List<Row> rows(Measurements m) {
        String what = String.format(Locale.ROOT, "efficiency, `inferenceMs: %d`, %d items (%d in a smoke run), "
                + "concurrency %d (ideal / actual: first item loaded to last finished)", MS, ITEMS, SMOKE_ITEMS, slots);
        String base = slots == 1
                ? "one thread: " + m.number(oneThread) + "; a loader and a model thread: " + m.number(twoThreads)
                : slots + " threads loading their own: " + m.number(oneThread) + "; a loader and " + slots
                        + " model threads: " + m.number(twoThreads);
        return List.of(new Row(id, what, List.of(Target.Bound.of(mlpipe, Target.Op.AT_LEAST, 0.98)),
                m.number(mlpipe), base, m.ratio(mlpipe, oneThread) + ", " + m.ratio(mlpipe, twoThreads)));
    }
}
