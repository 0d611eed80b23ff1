package dev.mlpipe.broker;

import java.util.Map;

/**
 * What the broker said of a delivery, as a message's metadata ({@link BrokerConsumer}): whether it was delivered
 * before (its earlier delivery failed: a worker died on it, or handed it back), and how many deliveries of it failed
 * before it was published again ({@link Redeliveries}). RabbitMQ 3.10's classic queues count neither.
 */
record Delivery(boolean redelivered, int failedBefore) {

    /** The header an item published again carries: how many deliveries of it had failed. */
    static final String FAILED_DELIVERIES = "x-mlpipe-failed-deliveries";

    static final Delivery FIRST = new Delivery(false, 0);

    static Delivery of(boolean redelivered, Map<String, Object> headers) {
        Object failed = headers == null ? null : headers.get(FAILED_DELIVERIES);
        return new Delivery(redelivered, failed instanceof Number n ? Math.max(0, n.intValue()) : 0);
    }

    /** Deliveries of this item that failed, this one's predecessor included. */
    int failed() {
        return failedBefore + (redelivered ? 1 : 0);
    }
}
