package dev.mlpipe.bench;

import java.util.List;
import java.util.Map;

/**
 * 7: the heap a run kept whole takes (the defaults keep a 1,000,000-item run's results): heap in use after a full
 * collection ({@code jcmd GC.run}, then {@code jstat -gc}) before and after the run, and per kept result.
 */
final class KeptRun implements Scenario {

    static final Figure GROWTH = new Figure("s7.heapGrowthMb", Unit.MEGABYTES, "%,.1f");
    static final Figure PER_RESULT = new Figure("s7.bytesPerResult", Unit.BYTES);

    @Override
    public String id() {
        return "7";
    }

    @Override
    public String group() {
        return "memory";
    }

    @Override
    public List<Figure> figures() {
        return List.of(GROWTH, PER_RESULT);
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        int items = h.options().items();
        try (Service s = h.mlpipe(Map.of())) {
            double idle = s.heapUsedAfterGcMb();
            s.client().timedRun(RunSpec.random(items));
            double grown = s.heapUsedAfterGcMb() - idle;
            m.add(GROWTH, grown);
            m.add(PER_RESULT, grown * 1024 * 1024 / items);
        }
    }

    @Override
    public List<Row> rows(Measurements m) {
        return List.of(new Row(id(), "heap after a run of 1,000,000 items (100,000 in a smoke run) kept whole "
                + "(after a full GC), and per kept result", List.of(Target.Bound.of(GROWTH, Target.Op.AT_MOST, 100)),
                m.show(GROWTH) + ", " + m.show(PER_RESULT) + " a result", "-", "-"));
    }
}
