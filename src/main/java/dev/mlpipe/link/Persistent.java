package dev.mlpipe.link;

import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Marks a message persistent for RabbitMQ (delivery mode 2): with mlpipe's durable queues it outlives a broker
 * restart. The in-process connector ignores it.
 */
public final class Persistent {

    public static final Metadata METADATA = Metadata.of(
            new OutgoingRabbitMQMetadata.Builder().withDeliveryMode(2).withContentType("application/json").build());

    private Persistent() {
    }
}
