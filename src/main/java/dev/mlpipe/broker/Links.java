package dev.mlpipe.broker;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.queue.ItemQueue;
import dev.mlpipe.queue.LocalQueue;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Chooses, once at start, which queue the loaders feed: the one in this process, or the broker's. */
@Singleton
public class Links {

    @Produces
    @Singleton
    ItemQueue queue(MlpipeConfig config, Instance<LocalQueue> local, Instance<BrokerQueue> broker) {
        return config.broker().enabled() ? broker.get() : local.get();
    }
}
