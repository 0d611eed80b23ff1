package dev.mlpipe.queue;

import dev.mlpipe.observe.PipelineActivity;

/**
 * Gives each model the queue its loaders feed: its own {@link LocalQueue} in one process, its own queue on the broker
 * with one ({@code broker.BrokerQueues}). Chosen once at start ({@code broker.Links}).
 */
public interface ModelQueues {

    /**
     * @param local the model's queue in this process, which its intake takes from when there is no broker
     * @param activity the model's depth and slots, which a broker's queue reports its sampled depth to
     */
    ItemQueue of(String model, LocalQueue local, PipelineActivity activity);
}
