package dev.mlpipe.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** One side of a comparison (mlpipe, or a baseline) as a warm-up rule drives it: one run at a time. */
interface Side {

    /** One run: each figure it measures with its value. */
    Map<Figure, Double> run() throws Exception;

    /** Whether the process's heap has filled and been collected in full once since it started. */
    boolean heapFilled() throws Exception;

    /** Two figures' values, in this order. */
    static Map<Figure, Double> values(Figure a, double va, Figure b, double vb) {
        Map<Figure, Double> values = new LinkedHashMap<>();
        values.put(a, va);
        values.put(b, vb);
        return values;
    }

    /** Three figures' values, in this order. */
    static Map<Figure, Double> values(Figure a, double va, Figure b, double vb, Figure c, double vc) {
        Map<Figure, Double> values = values(a, va, b, vb);
        values.put(c, vc);
        return values;
    }

    interface Run {
        Map<Figure, Double> run() throws Exception;
    }

    /** A side for a rule that does not wait for the heap ({@link WarmUp#untilHeapFilled} false). */
    static Side of(Run run) {
        return new Side() {
            @Override
            public Map<Figure, Double> run() throws Exception {
                return run.run();
            }

            @Override
            public boolean heapFilled() {
                throw new UnsupportedOperationException("this side does not say whether its heap has filled");
            }
        };
    }
}
