package dev.mlpipe.link;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.arc.lookup.LookupIfProperty;
import io.smallrye.reactive.messaging.OutgoingInterceptor;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Marks every message mlpipe sends to RabbitMQ persistent (delivery mode 2), so that with its durable queues items and
 * results outlive a broker restart. An interceptor of every outgoing channel, present only with a broker: in one
 * process messages carry no broker metadata.
 */
@ApplicationScoped
@LookupIfProperty(name = "mlpipe.broker.enabled", stringValue = "true")
public class PersistentMessages implements OutgoingInterceptor {

    static final OutgoingRabbitMQMetadata PERSISTENT = OutgoingRabbitMQMetadata.builder()
            .withDeliveryMode(2).withContentType("application/json").build();

    @Override
    public Message<?> beforeMessageSend(Message<?> message) {
        return message.addMetadata(PERSISTENT);
    }

    @Override
    public void onMessageAck(Message<?> message) {
        // nothing to do: the sender's own acknowledgement follows
    }

    @Override
    public void onMessageNack(Message<?> message, Throwable failure) {
        // nothing to do: the sender's own negative acknowledgement follows
    }
}
