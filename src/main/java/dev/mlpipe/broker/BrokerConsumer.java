package dev.mlpipe.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * Consumes an incoming channel's messages from a RabbitMQ queue, each acknowledged on the broker when the application
 * acknowledges it and given back to the queue when it refuses it: the incoming half of {@link BrokerConnector}, on
 * {@link BrokerTopology}'s connection for consumers.
 * <p>
 * An adapter, in place of the SmallRye connector's incoming side, because that connector acknowledges with the
 * delivery tag a message came with on whatever channel its Vert.x client has now: after a reconnection of this process
 * alone, a message delivered before it is acknowledged on the new channel, where its tag may name another message
 * (acknowledged unrun, so lost) or none (a channel error). Here a message is settled on the channel that delivered it;
 * the RabbitMQ Java client's recovery ignores a tag of a channel that has since been recovered (the broker delivers
 * that message again), and {@link BrokerTopology} has the client register the consumer again on recovery. The payload
 * is the message body's bytes ({@link Payloads} reads them).
 * <p>
 * Acknowledgements go in delivery order, several at once ({@code multiple}): one settled before an earlier delivery
 * waits for it ({@link Acks}), so a worker's stream of confirmed results costs the broker one acknowledgement per run of
 * them rather than one an item. What waits so still counts against the prefetch, and a worker that dies has it
 * delivered again (its results, already sent, are dropped by id).
 */
@ApplicationScoped
public class BrokerConsumer {

    private static final Logger LOG = Logger.getLogger(BrokerConsumer.class);

    private final BrokerTopology topology;
    private final Instance<WorkerModels> models;

    /** @param models made only for a process that consumes items: an api's results channel needs no model */
    BrokerConsumer(BrokerTopology topology, Instance<WorkerModels> models) {
        this.topology = topology;
        this.models = models;
    }

    /** What an incoming channel's queue, or its models' queues, deliver ({@link BrokerConnector}'s incoming half). */
    Flow.Publisher<? extends Message<?>> publisher(Config config) {
        if (config.getOptionalValue("model-queues", Boolean.class).orElse(false)) {
            return eachModel(topology::createConsumingChannel, models.get().served());
        }
        return messages(topology::createConsumingChannel, config.getValue("queue", String.class),
                config.getOptionalValue("max-outstanding-messages", Integer.class).orElse(0));
    }

    /**
     * What each model's items queue delivers, merged, each message marked with its model: a channel a queue, each
     * with its model's prefetch and its own acknowledgements, so that a slow model's unacknowledged items never hold
     * back a fast one's (acknowledgements in delivery order are per channel).
     */
    static Multi<Message<?>> eachModel(BrokerPublisher.Channels channels, List<WorkerModels.Served> served) {
        List<Flow.Publisher<Message<?>>> queues = served.stream()
                .<Flow.Publisher<Message<?>>>map(model -> messages(channels, model.queue(), model.prefetch())
                        .map(message -> (Message<?>) message.addMetadata(new ItemsOf(model.name()))))
                .toList();
        return Multi.createBy().merging().streams(queues);
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
                Acks acks = new Acks(channel);
                channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String consumerTag, Envelope envelope,
                            AMQP.BasicProperties properties, byte[] body) {
                        acks.delivered(envelope.getDeliveryTag());
                        emitter.emit(message(acks, envelope.getDeliveryTag(), body,
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
    private static Message<byte[]> message(Acks acks, long tag, byte[] body, Delivery delivery) {
        return Message.of(body, Metadata.of(delivery), () -> {
            acks.ack(tag);
            return CompletableFuture.completedFuture(null);
        }, refusal -> {
            acks.nack(tag);
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * One channel's deliveries not yet settled, in order: an acknowledgement goes to the broker once every earlier
     * delivery is settled, as one {@code multiple} acknowledgement of all of them; a refusal goes at once (the message
     * back to the queue). After the channel closes the broker has taken back what it had not acknowledged: what was
     * waiting is forgotten, and a tag not waiting here (one from before, or settled twice) goes to the channel alone,
     * as it came, for the client's recovery to ignore or the broker to refuse.
     */
    static final class Acks {

        private final Channel channel;
        private final NavigableSet<Long> unsettled = new TreeSet<>();
        /** Acknowledged by the application while an earlier delivery is still unsettled. */
        private final Set<Long> waiting = new HashSet<>();

        Acks(Channel channel) {
            this.channel = channel;
            channel.addShutdownListener(closed -> forget());
        }

        synchronized void delivered(long tag) {
            unsettled.add(tag);
        }

        synchronized void ack(long tag) {
            if (!unsettled.contains(tag)) {
                send(tag, true, false);
                return;
            }
            waiting.add(tag);
            acknowledgeSettled();
        }

        synchronized void nack(long tag) {
            if (unsettled.remove(tag)) {
                waiting.remove(tag);
                send(tag, false, false);
                acknowledgeSettled();
            } else {
                send(tag, false, false);
            }
        }

        /** Acknowledges at once the run of acknowledged deliveries at the head, if any. */
        private void acknowledgeSettled() {
            long upTo = -1;
            while (!unsettled.isEmpty() && waiting.remove(unsettled.first())) {
                upTo = unsettled.pollFirst();
            }
            if (upTo >= 0) {
                send(upTo, true, true);
            }
        }

        private synchronized void forget() {
            unsettled.clear();
            waiting.clear();
        }

        private void send(long tag, boolean ack, boolean multiple) {
            try {
                if (ack) {
                    channel.basicAck(tag, multiple);
                } else {
                    channel.basicNack(tag, false, true);
                }
            } catch (IOException | RuntimeException closed) {
                LOG.debugf("a message's channel closed before it was settled (the broker delivers it again): %s",
                        closed.getMessage());
            }
        }
    }
}
