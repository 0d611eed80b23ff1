package dev.mlpipe.broker;

import dev.mlpipe.config.MlpipeConfig;

/**
 * What mlpipe's queues and exchange on the broker are called: each under {@code mlpipe.broker.namespace}, so two
 * deployments with different namespaces share a broker and never see each other's items. application.properties
 * names the channels' ends the same way.
 *
 * @param instanceId this process ({@code mlpipe.instance-id}), whose results queue it names
 */
public record BrokerNames(String namespace, String instanceId) {

    static BrokerNames of(MlpipeConfig config) {
        return new BrokerNames(config.broker().namespace(), config.instanceId());
    }

    /**
     * The queue between a model's loaders and the workers that loaded it, bounded to
     * {@code mlpipe.models.<model>.capacity}: one a model, so that items of one never wait behind another's.
     */
    public String items(String model) {
        return namespace + ".items." + model;
    }

    /** The fanout exchange results go back through. */
    public String results() {
        return namespace + ".results";
    }

    /** Items whose deliveries failed too often, with the reason and the count ({@link Redeliveries}). */
    public String dead() {
        return namespace + ".dead";
    }

    /** This api process's queue on {@link #results()}. */
    public String resultsQueue() {
        return results() + "." + instanceId;
    }
}
