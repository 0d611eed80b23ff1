package dev.mlpipe.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 5: {@value #ITEMS} items of 1 ms inference, one loaded every 2 ms (half the model's capacity); per item, enqueue to
 * result minus the 1 ms: what the pipeline adds to the inference, p50 and p99. The baseline does the same with the
 * service's wait ({@link SpinWait}), in both shapes. One warm-up run on each side, then one that counts.
 */
final class Overhead implements Scenario {

    static final int ITEMS = 1000;
    static final int SMOKE_ITEMS = 200;
    static final int PERIOD_US = 2000;
    static final int WORK_US = 1000;
    static final Figure P50 = new Figure("s5.mlpipe.overheadP50Us", Unit.MICROSECONDS);
    static final Figure P99 = new Figure("s5.mlpipe.overheadP99Us", Unit.MICROSECONDS);
    static final Figure ONE_P50 = new Figure("s5.baseline.oneThread.overheadP50Us", Unit.MICROSECONDS);
    static final Figure ONE_P99 = new Figure("s5.baseline.oneThread.overheadP99Us", Unit.MICROSECONDS);
    static final Figure TWO_P50 = new Figure("s5.baseline.twoThreads.overheadP50Us", Unit.MICROSECONDS);
    static final Figure TWO_P99 = new Figure("s5.baseline.twoThreads.overheadP99Us", Unit.MICROSECONDS);

    @Override
    public String id() {
        return "5";
    }

    @Override
    public String group() {
        return "overhead";
    }

    @Override
    public List<Figure> figures() {
        return List.of(P50, P99, ONE_P50, ONE_P99, TWO_P50, TWO_P99);
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        int items = h.options().smoke() ? SMOKE_ITEMS : ITEMS;
        h.inTurn(() -> {
            try (Service s = h.mlpipe(Map.of())) {
                WarmUp.ONE.apply(Side.of(() -> {
                    Timeline t = Timeline.of(s.client(),
                            RunSpec.listed(items, WORK_US / 1000).loadIntervalMs(PERIOD_US / 1000));
                    return Side.values(P50, t.percentile(0.5), P99, t.percentile(0.99));
                }), m);
            }
        }, () -> h.eachShape((b, shape) -> WarmUp.ONE.apply(Side.of(() -> {
            double[] p = b.ask("overhead", items, PERIOD_US, WORK_US, shape.word());
            return Side.values(shape.pick(ONE_P50, TWO_P50), p[0], shape.pick(ONE_P99, TWO_P99), p[1]);
        }), m)));
    }

    @Override
    public List<Row> rows(Measurements m) {
        return List.of(new Row(id(), String.format(Locale.ROOT, "overhead per item, enqueue to result minus the 1 ms "
                + "inference, %,d items (%d in a smoke run), one every 2 ms (50%% load)", ITEMS, SMOKE_ITEMS),
                List.of(Target.Bound.of(P99, Target.Op.BELOW, 1000).labelled("p99")),
                "p50 " + m.show(P50) + ", p99 " + m.show(P99),
                "one thread: p50 " + m.show(ONE_P50) + ", p99 " + m.show(ONE_P99) + "; a loader and a model thread: "
                        + "p50 " + m.show(TWO_P50) + ", p99 " + m.show(TWO_P99),
                "p99 " + m.ratio(P99, ONE_P99) + " one thread, " + m.ratio(P99, TWO_P99) + " two"));
    }
}
