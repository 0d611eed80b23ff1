package dev.mlpipe.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** mlpipe's side of the throughput scenarios (1, 1b), timed by the client's clock. */
final class Throughput {

    private Throughput() {
    }

    /**
     * mlpipe: one run of {@code spec}, from sending its {@code POST} to the poll that saw it end ({@code client}), and
     * the service's own figure from its statistics ({@code service}); with {@code batchSize}, the mean batch too.
     */
    static Side of(Service s, RunSpec spec, Figure client, Figure service, Figure batchSize) {
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

}
