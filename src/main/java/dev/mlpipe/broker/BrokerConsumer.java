package dev.mlpipe.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.smallrye.reactive.messaging.annotations.ConnectorAttribute;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Consumes an incoming channel's messages from a RabbitMQ queue, each acknowledged on the broker when the application
 * acknowledges it and given back to the queue when it refuses it. The incoming side of {@link BrokerPublisher}'s
 * connector ({@code mlpipe-rabbitmq}), on {@link BrokerTopology}'s connection for consumers.
 * <p>
 * An adapter, in place of the SmallRye connector's incoming side, because that connector acknowledges with the
 * delivery tag a message came with on whatever channel its Vert.x client has now: after a reconnection of this process
 * alone, a message delivered before it is acknowledged on the new channel, where its tag may name another message
 * (acknowledged unrun, so lost) or none (a channel error). Here a message is settled on the channel that delivered it;
 * the RabbitMQ Java client's recovery ignores a tag of a channel that has since been recovered (the broker delivers
 * that message again), and {@link BrokerTopology} has the client register the consumer again on recovery. The payload
 * is the message body's bytes ({@link Payloads} reads them).
 */
@ApplicationScoped
@Connector(BrokerPublisher.NAME)
@ConnectorAttribute(name = "queue", type = "string", mandatory = true,
        direction = ConnectorAttribute.Direction.INCOMING, description = "The queue messages are consumed from")
@ConnectorAttribute(name = "max-outstanding-messages", type = "int", direction = ConnectorAttribute.Direction.INCOMING,
        description = "The channel's prefetch: at most this many messages unacknowledged at a time (0: no bound)",
        defaultValue = "0")
public class BrokerConsumer implements InboundConnector {

    private static final Logger LOG = Logger.getLogger(BrokerConsumer.class);

    private final BrokerTopology topology;

    BrokerConsumer(BrokerTopology topology) {
        this.topology = topology;
    }

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        return messages(topology::createConsumingChannel, config.getValue("queue", String.class),
                config.getOptionalValue("max-outstanding-messages", Integer.class).orElse(0));
    }

    /**
     * What {@code queue} delivers, on a channel of its own opened at subscription, with at most {@code prefetch}
     * unacknowledged (0: no bound); buffered until asked for, which the prefetch bounds.
     */
    static Multi<Message<?>> messages(BrokerPublisher.Channels channels, String queue, int prefetch) {
        return Multi.createFrom().emitter(emitter -> new Consumption(channels, queue, prefetch, emitter).start(),
                BackPressureStrategy.BUFFER);
    }

    /**
     * One subscriber's consuming, which goes on whatever happens to its channel until the subscriber cancels: a
     * channel lost with its connection is the client's recovery's to bring back, with its consumer; one the broker
     * closes alone (a channel error: a tag it does not know, an acknowledgement overdue) is replaced, and the broker
     * gives back what it had not acknowledged; a channel that cannot be opened (the broker away) or a consumer the
     * broker cancels (its queue deleted) is tried again a second later, until it works.
     */
    private static final class Consumption {

        private static final Duration AGAIN = Duration.ofSeconds(1);

        private final BrokerPublisher.Channels channels;
        private final String queue;
        private final int prefetch;
        private final MultiEmitter<? super Message<?>> emitter;
        /** Whether the last try failed: a failure is logged once, not once a second. */
        private volatile boolean failing;

        Consumption(BrokerPublisher.Channels channels, String queue, int prefetch,
                MultiEmitter<? super Message<?>> emitter) {
            this.channels = channels;
            this.queue = queue;
            this.prefetch = prefetch;
            this.emitter = emitter;
        }

        void start() {
            if (emitter.isCancelled()) {
                return;
            }
            Channel channel = null;
            // once per channel: aborting a closed channel tells its shutdown listeners again
            AtomicBoolean givenUp = new AtomicBoolean();
            try {
                channel = channels.open();
                if (prefetch > 0) {
                    channel.basicQos(prefetch);
                }
                channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String consumerTag, Envelope envelope,
                            AMQP.BasicProperties properties, byte[] body) {
                        emitter.emit(message(getChannel(), envelope.getDeliveryTag(), body,
                                Delivery.of(envelope.isRedeliver(), properties.getHeaders())));
                    }

                    @Override
                    public void handleCancel(String consumerTag) {
                        LOG.warnf("RabbitMQ cancelled the consumer of queue %s (deleted?); trying again", queue);
                        replace(getChannel(), givenUp);
                    }
                });
            } catch (IOException | RuntimeException failed) {
                if (!failing) {
                    LOG.warnf("cannot consume from the RabbitMQ queue %s (%s); trying again every %s", queue,
                            failed.getMessage(), AGAIN);
                }
                failing = true;
                if (channel != null) {
                    replace(channel, givenUp);
                } else {
                    later();
                }
                return;
            }
            if (failing) {
                LOG.infof("consuming from the RabbitMQ queue %s again", queue);
                failing = false;
            }
            Channel consuming = channel;
            consuming.addShutdownListener(closed -> {
                if (!closed.isHardError() && !closed.isInitiatedByApplication() && !givenUp.get()) {
                    LOG.warnf("RabbitMQ closed the channel consuming %s (%s); consuming on a new one", queue,
                            closed.getMessage());
                    replace(consuming, givenUp);
                }
            });
            emitter.onTermination(() -> abort(consuming));
        }

        /**
         * Gives the channel up for good (or the client's next recovery would bring it and its consumer back beside
         * the new one) and consumes on another, a second later: not on the connection's thread, which must stay free
         * to read the answers.
         */
        private void replace(Channel channel, AtomicBoolean givenUp) {
            if (givenUp.compareAndSet(false, true)) {
                abort(channel);
                later();
            }
        }

        private void later() {
            Uni.createFrom().voidItem().onItem().delayIt().by(AGAIN).subscribe().with(again -> start());
        }

        private void abort(Channel channel) {
            try {
                channel.abort();
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing a channel consuming %s: %s", queue, e.getMessage());
            }
        }
    }

    /**
     * A delivery as a message: acknowledged on the channel that delivered it, refused back to the queue. A channel
     * closed since cannot settle it, and need not: the broker gives back what a closed channel had not acknowledged.
     */
    private static Message<byte[]> message(Channel channel, long tag, byte[] body, Delivery delivery) {
        return Message.of(body, Metadata.of(delivery), () -> {
            settle(channel, tag, true);
            return CompletableFuture.completedFuture(null);
        }, refusal -> {
            settle(channel, tag, false);
            return CompletableFuture.completedFuture(null);
        });
    }

    private static void settle(Channel channel, long tag, boolean ack) {
        try {
            if (ack) {
                channel.basicAck(tag, false);
            } else {
                channel.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException closed) {
            LOG.debugf("a message's channel closed before it was settled (the broker delivers it again): %s",
                    closed.getMessage());
        }
    }
}
