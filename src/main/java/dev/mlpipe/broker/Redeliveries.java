package dev.mlpipe.broker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.queue.Item;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What becomes of a message delivered again (its worker died on it, or handed it back): RabbitMQ 3.10's classic queues
 * do not count deliveries, and quorum queues, which do, have no priorities. So a worker publishes it again, whole, to
 * the items queue, at its priority, with a header one higher ({@link Delivery#FAILED_DELIVERIES}), and acknowledges the
 * original once the broker has confirmed the copy. After {@code mlpipe.broker.max-deliveries} failed deliveries, a
 * message of several items is split into messages of one, their counts from 0 again, so that only the item a worker
 * dies on goes on failing; a message of one item goes to {@code <namespace>.dead}, with the reason and the count, and
 * its run counts it failed.
 */
@ApplicationScoped
class Redeliveries {

    static final String REASON = "x-mlpipe-reason";

    private final BrokerNames names;
    private final BrokerPublisher publisher;
    /** By model: each publishes to its model's items queue. */
    private final Map<String, BrokerPublisher.Link> items = new ConcurrentHashMap<>();
    private final BrokerPublisher.Link dead;
    private final int maxDeliveries;
    /** A publish can block (a broker short of memory): not on the consumer's thread. */
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("mlpipe-redeliver", true));

    /** @param publisher the connector's outgoing half, whose links count their resends */
    Redeliveries(BrokerPublisher publisher, MlpipeConfig config) {
        this.names = BrokerNames.of(config);
        this.publisher = publisher;
        this.dead = publisher.link("dead-letters", "", names.dead(), thread);
        this.maxDeliveries = config.broker().maxDeliveries();
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    /** Whether an item whose deliveries failed this many times is a dead letter now. */
    boolean dead(Delivery delivery) {
        return delivery.failed() >= maxDeliveries;
    }

    /** Why it is a dead letter, as its run's {@code failed} event and the letter's {@link #REASON} say. */
    String reason(Delivery delivery) {
        return reason(delivery.failed(), maxDeliveries);
    }

    static String reason(int failedDeliveries, int maxDeliveries) {
        return "its delivery to a worker failed " + failedDeliveries + " times (a worker stopped before finishing "
                + "it; mlpipe.broker.max-deliveries " + maxDeliveries + "): it is in the broker's dead letters";
    }

    /**
     * Publishes the message's items again, as one message, to their model's items queue; {@code settled} hears whether
     * the broker took it.
     */
    void again(String model, List<Item> message, Delivery delivery, Consumer<Boolean> settled) {
        publish(itemsQueue(model), ItemMessage.of(message), metadata(message.get(0), delivery.failed()).build(),
                settled);
    }

    /**
     * Publishes each of the message's items again alone, its count of failed deliveries from 0; {@code settled} hears,
     * once the broker has answered for each, whether it took them all.
     */
    void split(String model, List<Item> message, Consumer<Boolean> settled) {
        AtomicInteger unanswered = new AtomicInteger(message.size());
        AtomicBoolean allTaken = new AtomicBoolean(true);
        for (Item item : message) {
            publish(itemsQueue(model), item, metadata(item, 0).build(), taken -> {
                if (!taken) {
                    allTaken.set(false);
                }
                if (unanswered.decrementAndGet() == 0) {
                    settled.accept(allTaken.get());
                }
            });
        }
    }

    private BrokerPublisher.Link itemsQueue(String model) {
        return items.computeIfAbsent(model,
                name -> publisher.link("redelivered", "", names.items(name), thread));
    }

    /** Publishes the item to the dead letters, with the reason; {@code settled} hears whether the broker took it. */
    void bury(Item item, Delivery delivery, Consumer<Boolean> settled) {
        publish(dead, item, metadata(item, delivery.failed()).withHeader(REASON, reason(delivery)).build(), settled);
    }

    private static OutgoingRabbitMQMetadata.Builder metadata(Item item, int failedDeliveries) {
        return OutgoingRabbitMQMetadata.builder().withDeliveryMode(2).withContentType("application/json")
                .withPriority(PersistentMessages.rabbitPriority(item.priority()))
                .withHeader(Delivery.FAILED_DELIVERIES, failedDeliveries);
    }

    private void publish(BrokerPublisher.Link link, Object payload, OutgoingRabbitMQMetadata metadata,
            Consumer<Boolean> settled) {
        thread.execute(() -> link.publish(Confirms.told(payload, settled).addMetadata(metadata)));
    }
}
