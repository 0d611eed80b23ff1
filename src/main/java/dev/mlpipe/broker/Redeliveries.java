package dev.mlpipe.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.queue.Item;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What becomes of an item delivered again (its worker died on it, or handed it back): RabbitMQ 3.10's classic queues do
 * not count deliveries, and quorum queues, which do, have no priorities. So a worker publishes it again to the items
 * queue, at its priority, with a header one higher ({@link Delivery#FAILED_DELIVERIES}), and acknowledges the original
 * once the broker has confirmed the copy; after {@code mlpipe.broker.max-deliveries} failed deliveries it goes instead
 * to {@code <namespace>.dead}, with the reason and the count, and its run counts it failed.
 */
@ApplicationScoped
class Redeliveries {

    static final String REASON = "x-mlpipe-reason";

    private final BrokerNames names;
    private final BrokerTopology topology;
    /** By model: each publishes to its model's items queue. */
    private final Map<String, BrokerPublisher.Link> items = new ConcurrentHashMap<>();
    private final BrokerPublisher.Link dead;
    private final int maxDeliveries;
    /** A publish can block (a broker short of memory): not on the consumer's thread. */
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("mlpipe-redeliver", true));

    Redeliveries(BrokerTopology topology, MlpipeConfig config) {
        this.names = BrokerNames.of(config);
        this.topology = topology;
        this.dead = new BrokerPublisher.Link(topology::createChannel, "", names.dead());
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

    /** Why it is a dead letter, as its run's {@code failed} event says. */
    String reason(Delivery delivery) {
        return "its delivery to a worker failed " + delivery.failed() + " times (a worker stopped before finishing "
                + "it; mlpipe.broker.max-deliveries " + maxDeliveries + "): it is in the broker's dead letters";
    }

    /** Publishes the item again to its model's items queue; {@code settled} hears whether the broker took it. */
    void again(String model, Item item, Delivery delivery, Consumer<Boolean> settled) {
        BrokerPublisher.Link link = items.computeIfAbsent(model,
                name -> new BrokerPublisher.Link(topology::createChannel, "", names.items(name)));
        publish(link, item, metadata(item, delivery).build(), settled);
    }

    /** Publishes the item to the dead letters, with the reason; {@code settled} hears whether the broker took it. */
    void bury(Item item, Delivery delivery, Consumer<Boolean> settled) {
        publish(dead, item, metadata(item, delivery).withHeader(REASON, reason(delivery)).build(), settled);
    }

    private static OutgoingRabbitMQMetadata.Builder metadata(Item item, Delivery delivery) {
        return OutgoingRabbitMQMetadata.builder().withDeliveryMode(2).withContentType("application/json")
                .withPriority(PersistentMessages.rabbitPriority(item.priority()))
                .withHeader(Delivery.FAILED_DELIVERIES, delivery.failed());
    }

    private void publish(BrokerPublisher.Link link, Item item, OutgoingRabbitMQMetadata metadata,
            Consumer<Boolean> settled) {
        thread.execute(() -> link.publish(Confirms.told(item, settled).addMetadata(metadata)));
    }
}
