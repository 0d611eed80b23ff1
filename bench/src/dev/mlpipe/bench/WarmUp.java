package dev.mlpipe.bench;

import java.util.Map;

/**
 * How many runs a side makes before the ones that count, and how many count: each ratio's two sides get the same
 * rule, in fresh processes started the same way. The runs before are recorded too, as discarded, with why.
 *
 * @param least warm-up runs at least (for the JIT)
 * @param most warm-up runs at most
 * @param untilHeapFilled warm up until the process's heap has filled and been collected in full once (up to
 *        {@code most}): until then each page of the old generation is touched for the first time as collections
 *        promote into it, which cost a young collection 15 to 25 ms on this VM against 2 ms after (BENCHMARKS.md,
 *        "Batches end to end")
 * @param counted the runs that count, after the warm-up
 */
record WarmUp(int least, int most, boolean untilHeapFilled, int counted) {

    /** Two runs for the JIT, then one that counts. */
    static final WarmUp JIT = new WarmUp(2, 2, false, 1);
    /**
     * Five runs for the JIT to settle, then three that count: a service's steady state, as perf_analyzer measures
     * after its warm-up, without waiting for the heap (the baseline keeps nothing and would never fill it).
     */
    static final WarmUp SETTLED = new WarmUp(5, 5, false, 3);
    /** One run for the JIT, then one that counts. */
    static final WarmUp ONE = new WarmUp(1, 1, false, 1);
    /** Steady state, as perf_analyzer measures after its warm-up: two runs at least, the heap filled, three count. */
    static final WarmUp STEADY = new WarmUp(2, 12, true, 3);
    /** No run before the one that counts. */
    static final WarmUp NO_WARM_UP = new WarmUp(0, 0, false, 1);

    void apply(Side side, Measurements m) throws Exception {
        int warmUps = 0;
        while (warmUps < least || (untilHeapFilled && warmUps < most && !side.heapFilled())) {
            warmUps++;
            String why = warmUps <= least ? "warm-up, for the JIT" : "warm-up, the heap not yet filled and collected";
            for (Map.Entry<Figure, Double> e : side.run().entrySet()) {
                m.discard(e.getKey(), e.getValue(), why);
            }
        }
        if (untilHeapFilled && !side.heapFilled()) {
            Bench.log("    the heap had not filled after %d warm-up runs: the runs that count may still pay for "
                    + "touching the old generation first (a baseline keeps nothing, and never fills it)", warmUps);
        }
        for (int run = 0; run < counted; run++) {
            for (Map.Entry<Figure, Double> e : side.run().entrySet()) {
                m.add(e.getKey(), e.getValue());
            }
        }
    }
}
