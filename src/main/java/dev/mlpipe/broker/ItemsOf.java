package dev.mlpipe.broker;

/**
 * The model whose items queue a message came from, as its metadata ({@link BrokerConsumer}): a worker runs it on that
 * model ({@link BrokerIntake}). An item does not name its model: its queue does.
 */
record ItemsOf(String model) {
}
