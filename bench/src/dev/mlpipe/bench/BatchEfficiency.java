package dev.mlpipe.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 3c: items of {@code inferenceMs: 10}, loader unpaced, one model slot, at each max batch size: the time the
 * {@code batch-item-cost} setting's default (0.05) predicts for full batches, the last one holding the rest, over the
 * actual time (first item loaded to last finished). The queue has twice the batch's places (at least 10), so it holds
 * a full batch whenever the model is ready for one. A run of 200 items before warms the JIT up. No baseline.
 */
final class BatchEfficiency implements Scenario {

    static final int[] BATCHES = { 1, 8, 32 };
    static final int MS = 10;
    /** mlpipe.models.simulated.batch-item-cost's default: a batch of n takes (1 + 0.05 (n - 1)) one-item inferences. */
    static final double ITEM_COST = 0.05;
    static final int WARM_UP_ITEMS = 200;

    private final List<Figure> figures = Arrays.stream(BATCHES)
            .mapToObj(batch -> new Figure("s3c.batch" + batch + ".efficiency", Unit.EFFICIENCY)).toList();

    @Override
    public String id() {
        return "3c";
    }

    @Override
    public String group() {
        return "batch-efficiency";
    }

    @Override
    public List<Figure> figures() {
        return figures;
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        int items = h.options().smoke() ? WARM_UP_ITEMS : 2000;
        for (int i = 0; i < BATCHES.length; i++) {
            int batch = BATCHES[i];
            Figure figure = figures.get(i);
            try (Service s = h.mlpipe(Map.of("mlpipe.models.simulated.max-batch-size", Integer.toString(batch),
                    "mlpipe.models.simulated.capacity", Integer.toString(Math.max(10, 2 * batch))))) {
                m.discard(figure, efficiency(s, batch, WARM_UP_ITEMS),
                        "warm-up of " + WARM_UP_ITEMS + " items, for the JIT");
                m.add(figure, efficiency(s, batch, items));
            }
        }
    }

    private static double efficiency(Service s, int batch, int items) throws Exception {
        Timeline t = Timeline.of(s.client(), RunSpec.listed(items, MS));
        double oneBatchUs = MS * 1000.0 * (1 + ITEM_COST * (batch - 1));
        int rest = items % batch;
        double predicted = items / batch * oneBatchUs + (rest == 0 ? 0 : MS * 1000.0 * (1 + ITEM_COST * (rest - 1)));
        Bench.log("    batch %d: predicted %.0f ms, took %.0f ms, largest batch %d", batch, predicted / 1e3,
                t.spanUs() / 1e3, t.largestBatch());
        return predicted / t.spanUs();
    }

    @Override
    public List<Row> rows(Measurements m) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < BATCHES.length; i++) {
            Figure figure = figures.get(i);
            rows.add(new Row(id(), String.format(Locale.ROOT, "efficiency with batches, `inferenceMs: %d`, "
                    + "concurrency 1, max batch size %d (the time `batch-item-cost` %.2f predicts / actual)", MS,
                    BATCHES[i], ITEM_COST), List.of(Target.Bound.of(figure, Target.Op.AT_LEAST, 0.95)),
                    m.number(figure), "-", "-"));
        }
        return rows;
    }
}
