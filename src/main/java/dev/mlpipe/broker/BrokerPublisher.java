package dev.mlpipe.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;

import dev.mlpipe.config.MlpipeConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Publishes an outgoing channel's messages to RabbitMQ with publisher confirms that can be trusted: each message is
 * acknowledged once the broker confirms it and negatively acknowledged when the broker refuses it (a full items
 * queue), when its channel closes before the confirm came (a connection lost: the broker may or may not have it), or
 * when no confirm came within {@code mlpipe.broker.confirm-timeout}; each of those is counted ({@link Resends}).
 * <p>
 * An adapter, in place of the SmallRye connector's outgoing side, because the Vert.x publisher under that connector
 * (vertx-rabbitmq-client 4.5, {@code RabbitMQPublisherImpl}) matches confirms to messages wrongly once it has replaced
 * its channel after a broker restart: it may keep waiting for messages of the old channel, which the new channel's
 * numbers (from 1 again) then match, so that a message the broker refused can count as confirmed, and a confirm of
 * several at once stops at the first it waits for with a higher number, dropping the rest (their loaders wait until a
 * timeout gives them up). Here the confirms of a channel are counted on that channel only, the RabbitMQ Java client's
 * own, made on {@link BrokerTopology}'s connection (which recovers it after a connection loss), and what a closed
 * channel still owed is refused at once. Payloads and properties are as the SmallRye connector makes them: the
 * payload's JSON ({@link Payloads}), and the {@link OutgoingRabbitMQMetadata} {@link PersistentMessages} gives
 * (persistent, JSON, the item's priority); an item goes to the queue its {@link Route} names. The outgoing half of
 * {@link BrokerConnector}.
 */
@ApplicationScoped
public class BrokerPublisher {

    private final BrokerTopology topology;
    private final Payloads payloads;
    private final Duration confirmTimeout;
    private final MeterRegistry registry;
    private final Map<String, ScheduledExecutorService> threads = new ConcurrentHashMap<>();
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final Map<String, Resends> resends = new ConcurrentHashMap<>();

    /** @param registry Prometheus' own, as {@code PipelineMetrics} takes it */
    BrokerPublisher(BrokerTopology topology, Payloads payloads, MlpipeConfig config,
            PrometheusMeterRegistry registry) {
        this.topology = topology;
        this.payloads = payloads;
        this.confirmTimeout = config.broker().confirmTimeout();
        this.registry = registry;
    }

    /** What an outgoing channel sends, published ({@link BrokerConnector}'s outgoing half). */
    Flow.Subscriber<? extends Message<?>> subscriber(Config config) {
        String name = config.getValue("channel-name", String.class);
        // a publish can block (a broker short of memory blocks publishers): never on the sender's thread
        ScheduledExecutorService thread = threads.computeIfAbsent(name, n -> Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("mlpipe-publish-" + n, true)));
        Link link = link(name, config.getOptionalValue("exchange", String.class).orElse(""),
                config.getOptionalValue("routing-key", String.class).orElse(""), thread);
        UnicastProcessor<Message<?>> messages = UnicastProcessor.create();
        messages.emitOn(thread).subscribe().with(link::publish);
        return messages;
    }

    /**
     * A link of its own, for a sender outside the channels ({@link Redeliveries}), its resends counted under
     * {@code channel}.
     *
     * @param thread where its time-outs are looked for
     */
    Link link(String channel, String exchange, String routingKey, ScheduledExecutorService thread) {
        return new Link(topology::createChannel, exchange, routingKey, confirmTimeout, System::nanoTime, thread,
                resends.computeIfAbsent(channel, this::counted), payloads);
    }

    /** The channel's resends, as {@code mlpipe_broker_resends_total{channel,reason}}. */
    private Resends counted(String channel) {
        Resends counted = new Resends();
        for (Resends.Reason reason : Resends.Reason.values()) {
            meters.add(FunctionCounter.builder("mlpipe.broker.resends", counted, r -> r.count(reason))
                    .tag("channel", channel).tag("reason", reason.label)
                    .description("Messages the broker did not confirm (refused, no confirm within "
                            + "mlpipe.broker.confirm-timeout, their channel closed, or not sent), each sent again")
                    .register(registry));
        }
        return counted;
    }

    @PreDestroy
    void stop() {
        threads.values().forEach(ExecutorService::shutdownNow);
        meters.forEach(registry::remove);
    }

    /** Opens a channel, or says why it cannot now. */
    interface Channels {
        Channel open() throws IOException;
    }

    /**
     * One outgoing channel's publishing: one AMQP channel in confirm mode at a time, and the messages it has yet to
     * settle, by a number that grows across channels (a channel's publish numbers start again from 1), so that a late
     * confirm or close of an earlier channel never settles a message of the next.
     */
    static final class Link {

        private final Channels channels;
        private final String exchange;
        private final String routingKey;
        private final long timeoutNanos;
        private final LongSupplier nanoTime;
        private final ScheduledExecutorService timer;
        private final Resends resends;
        private final Payloads payloads;
        /** In publish order: the first is the oldest. */
        private final ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();
        private Confirming current;

        /**
         * @param timeout how long a message may wait for its confirm before it is taken as refused
         * @param timer where the time-outs are looked for, a few times per {@code timeout}
         * @param resends counts each message refused, timed out or lost with its channel
         * @param payloads writes each message's body
         */
        Link(Channels channels, String exchange, String routingKey, Duration timeout, LongSupplier nanoTime,
                ScheduledExecutorService timer, Resends resends, Payloads payloads) {
            this.channels = channels;
            this.exchange = exchange;
            this.routingKey = routingKey;
            this.timeoutNanos = timeout.toNanos();
            this.nanoTime = nanoTime;
            this.timer = timer;
            this.resends = resends;
            this.payloads = payloads;
            sweepLater();
        }

        /**
         * Publishes, on one thread at a time; the message is settled later, by the broker's confirm or refusal, or its
         * time-out, or now if it cannot be published. Never throws: the channel's stream would end.
         */
        synchronized void publish(Message<?> message) {
            long key = -1;
            try {
                byte[] body = payloads.write(message.getPayload());
                Confirming open = open();
                key = open.base + open.channel.getNextPublishSeqNo();
                unconfirmed.put(key, new Pending(message, nanoTime.getAsLong()));
                open.last = key;
                // an item goes to its model's queue; everything else by the channel's routing key
                String routing = message.getMetadata(Route.class).map(Route::queue).orElse(routingKey);
                open.channel.basicPublish(exchange, routing, properties(message), body);
            } catch (IOException | RuntimeException failed) {
                if (key < 0 || unconfirmed.remove(key) != null) {
                    resends.counted(Resends.Reason.NOT_SENT);
                    message.nack(failed);
                }
            }
        }

        /**
         * The channel, made again if it was closed for good: by a channel error, or lost with a connection that has
         * since recovered (a channel still recovering with its connection throws here, and the message is refused).
         */
        private Confirming open() throws IOException {
            if (current == null
                    || !current.channel.isOpen() && current.channel.getConnection().isOpen()) {
                Channel made = channels.open();
                made.confirmSelect();
                // numbers past every one given so far: a channel's publish numbers start from 1
                Confirming confirming = new Confirming(made, current == null ? 0 : current.last);
                made.addConfirmListener(confirming);
                // the broker will not confirm what a closed channel published: refuse it, to be published again
                made.addShutdownListener(closed -> confirming.closed(closed));
                current = confirming;
            }
            return current;
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

        /** Settles the messages with keys in {@code (from, to]}, or the one at {@code to} alone. */
        private void settle(long from, long to, boolean multiple, Resends.Reason refusal, Exception why) {
            if (multiple) {
                unconfirmed.subMap(from, false, to, true).keySet().forEach(each -> settle(from, each, false, refusal, why));
                return;
            }
            Pending pending = unconfirmed.remove(to);
            if (pending != null) {
                settled(pending, refusal, why);
            }
        }

        private void settled(Pending pending, Resends.Reason refusal, Exception why) {
            if (refusal == null) {
                pending.message.ack();
            } else {
                resends.counted(refusal);
                pending.message.nack(why);
            }
        }

        /**
         * Refuses every message whose confirm is overdue: the oldest first, until one is not. A confirm of one of
         * them that comes later finds nothing to settle.
         */
        void sweep() {
            long now = nanoTime.getAsLong();
            for (Map.Entry<Long, Pending> oldest; (oldest = unconfirmed.firstEntry()) != null
                    && now - oldest.getValue().publishedNanos >= timeoutNanos;) {
                if (unconfirmed.remove(oldest.getKey(), oldest.getValue())) {
                    settled(oldest.getValue(), Resends.Reason.TIMED_OUT, new IllegalStateException(
                            "the broker did not confirm the message within " + Duration.ofNanos(timeoutNanos)));
                }
            }
            sweepLater();
        }

        private void sweepLater() {
            try {
                // a few looks per time-out: a message is refused at most a quarter of it late
                timer.schedule(this::sweep, Math.max(1, timeoutNanos / 4), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopped) {
                // the application is stopping
            }
        }

        /** A message and when it was published. */
        private record Pending(Message<?> message, long publishedNanos) {
        }

        /** One AMQP channel's confirms: its publish number n is the message {@code base + n}. */
        private final class Confirming implements ConfirmListener {
            final Channel channel;
            final long base;
            /** The key of the last message published on it (written under the link's lock, read on close). */
            volatile long last;

            Confirming(Channel channel, long base) {
                this.channel = channel;
                this.base = base;
                this.last = base;
            }

            @Override
            public void handleAck(long number, boolean multiple) {
                settle(base, base + number, multiple, null, null);
            }

            @Override
            public void handleNack(long number, boolean multiple) {
                settle(base, base + number, multiple, Resends.Reason.REFUSED,
                        new IllegalStateException("the broker refused the message"));
            }

            void closed(Exception why) {
                settle(base, last, true, Resends.Reason.CHANNEL_CLOSED, why);
            }
        }
    }
}
