package dev.mlpipe.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The sides of the throughput scenarios (1, 1b, card), each timed by its client's clock. */
final class Throughput {

    private Throughput() {
    }

    /**
     * mlpipe: one run of {@code spec}, from sending its {@code POST} to the poll that saw it end ({@code client}), and
     * the service's own figure from its statistics ({@code service}); with {@code batchSize}, the mean batch too.
     */
    static Side mlpipe(Service s, RunSpec spec, Figure client, Figure service, Figure batchSize) {
        return new Side() {
            @Override
            public Map<Figure, Double> run() throws Exception {
                Client.Timed run = s.client().timedRun(spec);
                Map<Figure, Double> figures = new LinkedHashMap<>();
                figures.put(client, run.itemsPerSecond());
                figures.put(service, run.serviceItemsPerSecond());
                if (batchSize != null) {
                    figures.put(batchSize, Json.number(run.view(), "sizeMean"));
                }
                return figures;
            }

            @Override
            public boolean heapFilled() throws Exception {
                return s.client().fullCollections() > 0;
            }
        };
    }

    /** A baseline of one shape: one run of {@code items} through a queue of {@code capacity}. */
    static Side baseline(ChildJvm b, int items, int capacity, Baseline.Shape shape, Figure figure) {
        return child(b, figure, "throughput", items, capacity, shape.word());
    }

    /** A child's one-figure command as a side. */
    static Side child(ChildJvm child, Figure figure, Object... command) {
        return new Side() {
            @Override
            public Map<Figure, Double> run() throws Exception {
                return Map.of(figure, child.ask(command)[0]);
            }

            @Override
            public boolean heapFilled() throws Exception {
                return child.heapFilled();
            }
        };
    }
}
