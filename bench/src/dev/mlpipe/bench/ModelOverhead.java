package dev.mlpipe.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 8b: the tensor path's overhead per item: the {@code digits} model on its dataset, one row loaded every
 * {@value #PERIOD_MS} ms (far below the model's rate, so no row waits behind another), max batch 1; per item, enqueue
 * to the model's end minus the model's own time (the call's start to its end), p50 and p99. One warm-up run, then one
 * that counts, of the dataset once through ({@value #ROWS} rows).
 */
final class ModelOverhead implements Scenario {

    static final int ROWS = 1797; // the shipped dataset once through
    static final int PERIOD_MS = 1;
    static final Figure P50 = new Figure("s8b.overheadP50Us", Unit.MICROSECONDS);
    static final Figure P99 = new Figure("s8b.overheadP99Us", Unit.MICROSECONDS);

    @Override
    public String id() {
        return "8b";
    }

    @Override
    public String group() {
        return "models";
    }

    @Override
    public List<Figure> figures() {
        return List.of(P50, P99);
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        try (Service s = h.mlpipe(Map.of("mlpipe.models.digits.max-batch-size", "1",
                "mlpipe.models.digits.concurrency", "1", "mlpipe.models.digits.intra-op-threads", "1"))) {
            WarmUp.ONE.apply(Side.of(() -> {
                Timeline t = Timeline.of(s.client(),
                        RunSpec.dataset("digits", "digits", 1, ROWS).loadIntervalMs(PERIOD_MS));
                return Side.values(P50, t.percentile(0.5), P99, t.percentile(0.99));
            }), m);
        }
    }

    @Override
    public List<Row> rows(Measurements m) {
        return List.of(new Row(id(), String.format(Locale.ROOT, "tensor path overhead per item, enqueue to the "
                + "model's end minus the model's own time: `digits` on its dataset, %,d rows, one every %d ms, max "
                + "batch 1", ROWS, PERIOD_MS), List.of(),
                "p50 " + m.show(P50) + ", p99 " + m.show(P99), "-", "-"));
    }
}
