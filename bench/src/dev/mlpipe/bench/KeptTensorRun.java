package dev.mlpipe.bench;

import java.util.List;
import java.util.Map;

/**
 * 8c: the heap a {@code digits} run's kept results take, each with its input row (64 numbers) and output row (10):
 * heap in use after a full collection before and after {@value #RUNS} runs of the dataset once through, all kept, per
 * kept result. Runs of one pass, so that no two results share a replayed input row.
 */
final class KeptTensorRun implements Scenario {

    static final int RUNS = 10;
    static final int ROWS = 1797; // the shipped dataset's
    static final Figure PER_RESULT = new Figure("s8c.bytesPerResult", Unit.BYTES);

    @Override
    public String id() {
        return "8c";
    }

    @Override
    public String group() {
        return "models";
    }

    @Override
    public List<Figure> figures() {
        return List.of(PER_RESULT);
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        try (Service s = h.mlpipe(Map.of("mlpipe.runs.retained", Integer.toString(RUNS + 1)))) {
            s.client().timedRun(RunSpec.dataset("digits", "digits", 1, ROWS)); // loads the model's code and data
            double idle = s.heapUsedAfterGcMb();
            for (int i = 0; i < RUNS; i++) {
                s.client().timedRun(RunSpec.dataset("digits", "digits", 1, ROWS));
            }
            m.add(PER_RESULT, (s.heapUsedAfterGcMb() - idle) * 1024 * 1024 / (RUNS * ROWS));
        }
    }

    @Override
    public List<Row> rows(Measurements m) {
        return List.of(new Row(id(), "heap per kept result of the `digits` model, its input and output rows kept ("
                + RUNS + " runs of its dataset, all kept, after a full GC)", List.of(),
                m.show(PER_RESULT) + " a result", "-", "-"));
    }
}
