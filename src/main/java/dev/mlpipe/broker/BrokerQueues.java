package dev.mlpipe.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.queue.ItemQueue;
import dev.mlpipe.queue.LocalQueue;
import dev.mlpipe.queue.ModelQueues;
import dev.mlpipe.queue.Returned;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

/**
 * Each model's queue with a broker: a {@link BrokerQueue} on {@code <ns>.items.<model>}, bounded to that model's
 * capacity, so that a slow model's items fill its own queue and never hold back another's. Results come back on one
 * channel, without their model: a returned item is the queue's that published it.
 */
@ApplicationScoped
@Typed(BrokerQueues.class) // ModelQueues only through Links, which chooses one per mode
public class BrokerQueues implements ModelQueues {

    private final ItemsOut link;
    private final BrokerTopology topology;
    private final BrokerNames names;
    private final int itemsPerMessage;
    private final Map<String, BrokerQueue> byModel = new ConcurrentHashMap<>();

    BrokerQueues(ItemsOut link, BrokerTopology topology, MlpipeConfig config) {
        this.link = link;
        this.topology = topology;
        this.names = BrokerNames.of(config);
        this.itemsPerMessage = config.broker().itemsPerMessage();
    }

    @Override
    public ItemQueue of(String model, LocalQueue local, PipelineActivity activity) {
        return of(model, local.capacity(), activity);
    }

    /** The model's queue, made at its first ask. */
    BrokerQueue of(String model, int capacity, PipelineActivity activity) {
        return byModel.computeIfAbsent(model, name -> {
            BrokerQueue queue = new BrokerQueue(names.items(name), link, activity, capacity, itemsPerMessage,
                    topology::publishable,
                    Executors.newSingleThreadScheduledExecutor(
                            new DefaultThreadFactory("mlpipe-broker-retry-" + name, true)));
            topology.onRecovery(queue::publishOutstandingAgain);
            return queue;
        });
    }

    /** What the model's queue holds now, in words, if this process feeds it. */
    String describe(String model) {
        return String.valueOf(byModel.get(model));
    }

    /** Each model's depth now, for those this process feeds ({@link BrokerWatch}). */
    void sample() {
        byModel.values().forEach(BrokerQueue::sample);
    }

    /** How many workers consume each model's items queue, by model, at the last look ({@link BrokerWatch}). */
    void consumers(Map<String, Integer> byModel) {
        byModel.forEach((model, workers) -> {
            BrokerQueue queue = this.byModel.get(model);
            if (queue != null) {
                queue.consumers(workers);
            }
        });
    }

    /**
     * An item is back: the queue that published it forgets it and gives its freed place to a waiting loader. One no
     * queue knows (its run ended) still freed a place in some queue: each one's first waiting loader tries.
     */
    public void returned(Returned back) {
        for (BrokerQueue queue : byModel.values()) {
            if (queue.returned(back)) {
                return;
            }
        }
        byModel.values().forEach(BrokerQueue::placeFreed);
    }

    @PreDestroy
    void stop() {
        byModel.values().forEach(BrokerQueue::stop);
    }
}
