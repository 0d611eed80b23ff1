package dev.mlpipe.broker;

import java.util.concurrent.Flow;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import dev.mlpipe.config.MlpipeConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.reactive.messaging.annotations.ConnectorAttribute;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The RabbitMQ connector of the four channels in broker mode ({@code mlpipe-rabbitmq}), one class with a helper for
 * each half as SmallRye's own is: {@link BrokerPublisher} publishes what an outgoing channel sends,
 * {@link BrokerConsumer} delivers an incoming channel's messages. The process's role decides which ends go through
 * the broker ({@link #carries}): an api sends items and receives results, a worker the other way round, a process
 * with role {@code all} both; the ends a role does not use stay idle here.
 */
@ApplicationScoped
@Connector(BrokerConnector.NAME)
@ConnectorAttribute(name = "exchange", type = "string", direction = ConnectorAttribute.Direction.OUTGOING,
        description = "The exchange messages are published to; none: RabbitMQ's default exchange")
@ConnectorAttribute(name = "routing-key", type = "string", direction = ConnectorAttribute.Direction.OUTGOING,
        description = "The routing key of a message without a Route (with the default exchange: the queue's name)",
        defaultValue = "")
@ConnectorAttribute(name = "queue", type = "string",
        direction = ConnectorAttribute.Direction.INCOMING, description = "The queue messages are consumed from")
@ConnectorAttribute(name = "model-queues", type = "boolean", direction = ConnectorAttribute.Direction.INCOMING,
        description = "Instead of one queue: the items queue of each model this process loaded, each on a channel of "
                + "its own with that model's prefetch, each message marked with its model", defaultValue = "false")
@ConnectorAttribute(name = "max-outstanding-messages", type = "int", direction = ConnectorAttribute.Direction.INCOMING,
        description = "The channel's prefetch: at most this many messages unacknowledged at a time (0: no bound)",
        defaultValue = "0")
public class BrokerConnector implements InboundConnector, OutboundConnector {

    public static final String NAME = "mlpipe-rabbitmq";

    private final BrokerPublisher publisher;
    private final BrokerConsumer consumer;
    private final MlpipeConfig.Role role;

    @Inject
    BrokerConnector(BrokerPublisher publisher, BrokerConsumer consumer, MlpipeConfig config) {
        this(publisher, consumer, config.role());
    }

    BrokerConnector(BrokerPublisher publisher, BrokerConsumer consumer, MlpipeConfig.Role role) {
        this.publisher = publisher;
        this.consumer = consumer;
        this.role = role;
    }

    /**
     * Whether a process of {@code role} moves {@code channel}'s messages through the broker.
     *
     * @throws IllegalArgumentException for a channel that is none of the four (a start fails, naming it)
     */
    static boolean carries(MlpipeConfig.Role role, String channel) {
        boolean apiEnd = switch (channel) {
            case "items-out", "results-in" -> true;
            case "items-in", "results-out" -> false;
            default -> throw new IllegalArgumentException("channel " + channel + " is not one of the broker's four");
        };
        return switch (role) {
            case ALL -> true;
            case API -> apiEnd;
            case WORKER -> !apiEnd;
        };
    }

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        return carries(role, channel(config)) ? consumer.publisher(config) : Multi.createFrom().nothing();
    }

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        String channel = channel(config);
        if (carries(role, channel)) {
            return publisher.subscriber(config);
        }
        // nothing of this role sends here: a message that comes all the same is refused, never lost in silence
        UnicastProcessor<Message<?>> idle = UnicastProcessor.create();
        idle.subscribe().with(message -> message.nack(new IllegalStateException(
                "a process with role " + role.label() + " sends nothing on channel " + channel)));
        return idle;
    }

    private static String channel(Config config) {
        return config.getValue("channel-name", String.class);
    }
}
