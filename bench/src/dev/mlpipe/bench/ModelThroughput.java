package dev.mlpipe.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * 8: the shipped {@code digits} model on its dataset, at each max batch size, against ONNX Runtime called directly
 * ({@link OnnxLimit}) on the same rows at the same batch size in the same repeat. mlpipe: a service with
 * {@code mlpipe.models.digits.max-batch-size} at that size, concurrency 1, a queue of {@value #CAPACITY}, one intra-op
 * thread, a run of the dataset repeated to about {@value #ROWS} rows, nobody following, timed by the client's clock
 * ({@link Throughput}). Both sides: five runs to warm up, then three that count ({@link WarmUp#SETTLED}), of as many
 * rows: after one, the model stage's thread still took about twice its steady CPU a row at batch 8, and after two C2
 * was still compiling in the run that counted (BENCHMARKS.md, real models).
 */
final class ModelThroughput implements Scenario {

    static final int[] BATCHES = { 1, 8, 32, 64 };
    static final int CAPACITY = 1024;
    static final int ROWS = 200_000;
    static final int SMOKE_ROWS = 3_000;

    private final List<Figure> mlpipe = figures("itemsPerSecond");
    private final List<Figure> service = figures("serviceItemsPerSecond");
    private final List<Figure> sizes = Arrays.stream(BATCHES)
            .mapToObj(batch -> new Figure("s8.batch" + batch + ".meanBatchSize", Unit.COUNT)).toList();
    private final List<Figure> limits = Arrays.stream(BATCHES)
            .mapToObj(batch -> new Figure("s8.limit.batch" + batch + ".rowsPerSecond", Unit.ITEMS_PER_SECOND))
            .toList();

    private static List<Figure> figures(String what) {
        return Arrays.stream(BATCHES).mapToObj(batch -> new Figure("s8.batch" + batch + "." + what,
                Unit.ITEMS_PER_SECOND)).toList();
    }

    @Override
    public String id() {
        return "8";
    }

    @Override
    public String group() {
        return "models";
    }

    @Override
    public List<Figure> figures() {
        List<Figure> all = new ArrayList<>(mlpipe);
        all.addAll(service);
        all.addAll(sizes);
        all.addAll(limits);
        return all;
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        try (OnnxLimit limit = OnnxLimit.digits(h.options().jar())) {
            int repeat = Math.max(1, Math.round((float) (h.options().smoke() ? SMOKE_ROWS : ROWS) / limit.rows()));
            RunSpec spec = RunSpec.dataset("digits", "digits", repeat, limit.rows());
            h.inTurn(() -> {
                for (int i = 0; i < BATCHES.length; i++) {
                    try (Service s = h.mlpipe(Map.of("mlpipe.models.digits.max-batch-size",
                            Integer.toString(BATCHES[i]), "mlpipe.models.digits.concurrency", "1",
                            "mlpipe.models.digits.capacity", Integer.toString(CAPACITY),
                            "mlpipe.models.digits.intra-op-threads", "1"))) {
                        WarmUp.SETTLED.apply(Throughput.of(s, spec, mlpipe.get(i), service.get(i), sizes.get(i)),
                                m);
                    }
                }
            }, () -> {
                for (int i = 0; i < BATCHES.length; i++) {
                    int batch = BATCHES[i];
                    Figure figure = limits.get(i);
                    WarmUp.SETTLED.apply(Side.of(() -> Map.of(figure, limit.rowsPerSecond(batch, spec.items()))), m);
                }
            });
        }
    }

    @Override
    public List<Row> rows(Measurements m) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < BATCHES.length; i++) {
            double bound = BATCHES[i] == 1 ? 0.5 : 0.8;
            rows.add(new Row(id(), "the `digits` model on its dataset repeated to about " + String.format(
                    java.util.Locale.ROOT, "%,d", ROWS) + " rows, `mlpipe.models.digits.max-batch-size` " + BATCHES[i]
                    + " (batches of " + m.number(sizes.get(i)) + " on average), concurrency 1, a queue of " + CAPACITY
                    + ", one intra-op thread, nobody following",
                    List.of(new Target.Ratio(mlpipe.get(i), limits.get(i), Target.Op.AT_LEAST, bound, "",
                            "ONNX Runtime alone")),
                    m.show(mlpipe.get(i)) + " (the service's own: " + m.number(service.get(i)) + ")",
                    "ONNX Runtime called directly, batches of " + BATCHES[i] + ": " + m.show(limits.get(i)),
                    m.ratio(mlpipe.get(i), limits.get(i))));
        }
        Figure one = mlpipe.get(0);
        Figure most = mlpipe.get(BATCHES.length - 1);
        rows.add(new Row(id(), "batching pays off end to end: `digits` at max batch size " + BATCHES[BATCHES.length - 1]
                + " over 1", List.of(new Target.Ratio(most, one, Target.Op.AT_LEAST, 3, "", "batch 1")),
                m.show(most) + " / " + m.show(one), "ONNX Runtime alone: " + m.ratio(limits.get(BATCHES.length - 1),
                        limits.get(0)), m.ratio(most, one)));
        return rows;
    }
}
