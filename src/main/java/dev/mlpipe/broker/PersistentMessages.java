package dev.mlpipe.broker;

import java.util.List;
import java.util.stream.IntStream;

import org.eclipse.microprofile.reactive.messaging.Message;

import dev.mlpipe.config.Priority;
import dev.mlpipe.queue.Item;

import io.quarkus.arc.lookup.LookupIfProperty;
import io.smallrye.reactive.messaging.OutgoingInterceptor;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Marks every message mlpipe sends to RabbitMQ persistent (delivery mode 2), so that with its durable queues items and
 * results outlive a broker restart, and gives an item its run's priority as RabbitMQ counts it (the items queue is
 * declared with {@code x-max-priority}; RabbitMQ delivers higher numbers first, where mlpipe's level 1 is first). An
 * interceptor of every outgoing channel, present only with a broker: in one process messages carry no broker metadata.
 */
@ApplicationScoped
@LookupIfProperty(name = "mlpipe.broker.enabled", stringValue = "true")
public class PersistentMessages implements OutgoingInterceptor {

    static final OutgoingRabbitMQMetadata PERSISTENT = OutgoingRabbitMQMetadata.builder()
            .withDeliveryMode(2).withContentType("application/json").build();
    /** By mlpipe's level, from 1: RabbitMQ's priority is the reverse, {@link Priority#LEVELS} first. */
    private static final List<OutgoingRabbitMQMetadata> BY_LEVEL = IntStream.rangeClosed(1, Priority.LEVELS)
            .mapToObj(level -> OutgoingRabbitMQMetadata.builder().withDeliveryMode(2)
                    .withContentType("application/json").withPriority(rabbitPriority(level)).build())
            .toList();

    /** RabbitMQ's priority of an item of this level. */
    static int rabbitPriority(int level) {
        return Priority.LEVELS + 1 - level;
    }

    @Override
    public Message<?> beforeMessageSend(Message<?> message) {
        if (message.getPayload() instanceof Item item) {
            return message.addMetadata(BY_LEVEL.get(item.priority() - 1));
        }
        if (message.getPayload() instanceof ItemMessage items) {
            return message.addMetadata(BY_LEVEL.get(items.priority() - 1));
        }
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
