package dev.mlpipe.broker;

/**
 * The queue an item is published to, as its message's metadata: its model's items queue ({@link BrokerNames#items}).
 * One outgoing channel carries every model's items; {@link BrokerPublisher} routes each by this.
 */
record Route(String queue) {
}
