package dev.mlpipe.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.reactive.messaging.annotations.ConnectorAttribute;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.json.Json;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Publishes an outgoing channel's messages to RabbitMQ with publisher confirms that can be trusted: each message is
 * acknowledged once the broker confirms it and negatively acknowledged when the broker refuses it (a full items
 * queue) or when its channel closes before the confirm came (a connection lost: the broker may or may not have it).
 * <p>
 * An adapter, in place of the SmallRye connector's outgoing side, because the Vert.x publisher under that connector
 * (vertx-rabbitmq-client 4.5, {@code RabbitMQPublisherImpl}) matches confirms to messages wrongly once it has replaced
 * its channel after a broker restart: it may keep waiting for messages of the old channel, which the new channel's
 * numbers (from 1 again) then match, so that a message the broker refused can count as confirmed, and a confirm of
 * several at once stops at the first it waits for with a higher number, dropping the rest (their loaders wait until a
 * timeout gives them up). Here the confirms of a channel are counted on that channel only, the RabbitMQ Java client's
 * own, made on {@link BrokerTopology}'s connection (which recovers it after a connection loss), and what a closed
 * channel still owed is refused at once. Payloads and properties are as the SmallRye connector makes them: the
 * payload's JSON, and the {@link OutgoingRabbitMQMetadata} {@link PersistentMessages} gives (persistent, JSON, the
 * item's priority); an item goes to the queue its {@link Route} names. The connector's incoming side is
 * {@link BrokerConsumer}.
 */
@ApplicationScoped
@Connector(BrokerPublisher.NAME)
@ConnectorAttribute(name = "exchange", type = "string", direction = ConnectorAttribute.Direction.OUTGOING,
        description = "The exchange messages are published to; none: RabbitMQ's default exchange")
@ConnectorAttribute(name = "routing-key", type = "string", direction = ConnectorAttribute.Direction.OUTGOING,
        description = "The routing key of a message without a Route (with the default exchange: the queue's name)",
        defaultValue = "")
public class BrokerPublisher implements OutboundConnector {

    public static final String NAME = "mlpipe-rabbitmq";

    private final BrokerTopology topology;
    private final Map<String, ExecutorService> threads = new ConcurrentHashMap<>();

    BrokerPublisher(BrokerTopology topology) {
        this.topology = topology;
    }

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        String name = config.getValue("channel-name", String.class);
        Link link = new Link(topology::createChannel, config.getOptionalValue("exchange", String.class).orElse(""),
                config.getOptionalValue("routing-key", String.class).orElse(""));
        // a publish can block (a broker short of memory blocks publishers): never on the sender's thread
        ExecutorService thread = threads.computeIfAbsent(name, n -> Executors.newSingleThreadExecutor(
                new DefaultThreadFactory("mlpipe-publish-" + n, true)));
        UnicastProcessor<Message<?>> messages = UnicastProcessor.create();
        messages.emitOn(thread).subscribe().with(link::publish);
        return messages;
    }

    @PreDestroy
    void stop() {
        threads.values().forEach(ExecutorService::shutdownNow);
    }

    /** Opens a channel, or says why it cannot now. */
    interface Channels {
        Channel open() throws IOException;
    }

    /** One outgoing channel's publishing: one AMQP channel in confirm mode, and the messages it has yet to settle. */
    static final class Link implements ConfirmListener {

        private final Channels channels;
        private final String exchange;
        private final String routingKey;
        /** By the publish number of the current AMQP channel. */
        private final ConcurrentNavigableMap<Long, Message<?>> unconfirmed = new ConcurrentSkipListMap<>();
        private Channel channel;

        Link(Channels channels, String exchange, String routingKey) {
            this.channels = channels;
            this.exchange = exchange;
            this.routingKey = routingKey;
        }

        /**
         * Publishes, on one thread at a time; the message is settled later, by the broker's confirm or refusal, or now
         * if it cannot be published. Never throws: the channel's stream would end.
         */
        synchronized void publish(Message<?> message) {
            long number = -1;
            try {
                byte[] body = Json.encode(message.getPayload()).getBytes(StandardCharsets.UTF_8);
                Channel open = open();
                number = open.getNextPublishSeqNo();
                unconfirmed.put(number, message);
                // an item goes to its model's queue; everything else by the channel's routing key
                String key = message.getMetadata(Route.class).map(Route::queue).orElse(routingKey);
                open.basicPublish(exchange, key, properties(message), body);
            } catch (IOException | RuntimeException failed) {
                if (number < 0 || unconfirmed.remove(number) != null) {
                    message.nack(failed);
                }
            }
        }

        /**
         * The channel, made again if it was closed for good: by a channel error, or lost with a connection that has
         * since recovered (a channel still recovering with its connection throws here, and the message is refused).
         */
        private Channel open() throws IOException {
            if (channel == null || !channel.isOpen() && channel.getConnection().isOpen()) {
                Channel made = channels.open();
                made.confirmSelect();
                made.addConfirmListener(this);
                // the broker will not confirm what a closed channel published: refuse it, to be published again
                made.addShutdownListener(closed -> settleAll(closed));
                channel = made;
            }
            return channel;
        }

        private static AMQP.BasicProperties properties(Message<?> message) {
            AMQP.BasicProperties.Builder properties = new AMQP.BasicProperties.Builder()
                    .contentType("application/json");
            message.getMetadata(OutgoingRabbitMQMetadata.class).ifPresent(metadata -> {
                properties.deliveryMode(metadata.getDeliveryMode()).priority(metadata.getPriority());
                if (!metadata.getHeaders().isEmpty()) {
                    properties.headers(metadata.getHeaders());
                }
                if (metadata.getContentType() != null) {
                    properties.contentType(metadata.getContentType());
                }
            });
            return properties.build();
        }

        @Override
        public void handleAck(long number, boolean multiple) {
            settle(number, multiple, null);
        }

        @Override
        public void handleNack(long number, boolean multiple) {
            settle(number, multiple, new IllegalStateException("the broker refused the message"));
        }

        private void settle(long number, boolean multiple, Exception refusal) {
            if (multiple) {
                ConcurrentNavigableMap<Long, Message<?>> upTo = unconfirmed.headMap(number, true);
                upTo.keySet().forEach(each -> settle(each, false, refusal));
                return;
            }
            Message<?> message = unconfirmed.remove(number);
            if (message != null) {
                if (refusal == null) {
                    message.ack();
                } else {
                    message.nack(refusal);
                }
            }
        }

        private void settleAll(Exception closed) {
            unconfirmed.keySet().forEach(each -> settle(each, false, closed));
        }
    }
}
