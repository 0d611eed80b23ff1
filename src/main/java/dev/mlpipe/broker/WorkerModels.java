package dev.mlpipe.broker;

import java.util.List;
import java.util.Map;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.model.LoadedModel;
import dev.mlpipe.model.Models;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The models a process runs for the broker: each model it loaded from its own configuration whose items go through
 * the broker ({@link BrokerTopology#itemsQueues}), with its items queue and its prefetch ({@link WorkerPrefetch}). A
 * worker consumes exactly these queues; a model it did not load is another worker's.
 */
@ApplicationScoped
public class WorkerModels {

    /** A model this process runs: its items queue and how many of its items it holds ahead. */
    record Served(LoadedModel model, String queue, int prefetch) {

        String name() {
            return model.name();
        }
    }

    private final List<Served> served;

    WorkerModels(Models models, MlpipeConfig config) {
        BrokerNames names = BrokerNames.of(config);
        Map<String, Integer> queues = BrokerTopology.itemsQueues(config);
        this.served = models.all().stream().filter(model -> queues.containsKey(model.name())).map(model -> {
            PipelineSettings.Settings now = model.settings().now();
            return new Served(model, names.items(model.name()), WorkerPrefetch.of(now.concurrency(),
                    now.maxBatchSize(), config.broker().prefetchBatches(), config.broker().minPrefetch()));
        }).toList();
    }

    /** {@code simulated} first, then by name. */
    List<Served> served() {
        return served;
    }
}
