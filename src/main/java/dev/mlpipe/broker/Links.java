package dev.mlpipe.broker;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.model.Models;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.queue.ItemQueue;
import dev.mlpipe.queue.LocalQueue;
import dev.mlpipe.queue.ModelQueues;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Chooses, once at start, which queues the loaders feed: each model's in this process, or each one's on the broker. */
@Singleton
public class Links {

    /** The simulated model's queue, which the service's own beans (the pipeline's settings and state) read. */
    @Produces
    @Singleton
    ItemQueue queue(MlpipeConfig config, Instance<LocalQueue> local, Instance<BrokerQueues> broker,
            PipelineActivity activity) {
        return config.broker().enabled() ? broker.get().of(Models.SIMULATED, config.simulated().capacity(), activity)
                : local.get();
    }

    @Produces
    @Singleton
    ModelQueues queues(MlpipeConfig config, Instance<BrokerQueues> broker) {
        return config.broker().enabled() ? broker.get() : (model, local, activity) -> local;
    }
}
