package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import dev.mlpipe.support.Rabbit;
import dev.mlpipe.support.RabbitRequired;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * What a sender hears of each message it publishes to the RabbitMQ on 127.0.0.1: confirmed when the broker has it,
 * refused when the broker will not take it (a full queue) or when its channel closed first, and never the one for the
 * other. A refused item counted as entered would be lost.
 */
@RabbitRequired
class BrokerPublisherTest {

    private final String name = "mlpipe-publisher-test-" + UUID.randomUUID().toString().substring(0, 8);
    private Connection connection;
    private Channel admin;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(Rabbit.HOST);
        factory.setPort(Rabbit.PORT);
        connection = factory.newConnection("mlpipe-publisher-test");
        admin = connection.createChannel();
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(name);
            channel.exchangeDelete(name);
        }
        connection.close();
        timer.shutdownNow();
    }

    @Test
    void aMessageTheBrokerTakesIsConfirmedAndArrivesAsJsonWithItsProperties() throws Exception {
        admin.queueDeclare(name, true, false, false, Map.of("x-max-priority", 5));
        BrokerPublisher.Link link = link("", name);
        Told told = new Told();

        link.publish(told.message(Map.of("seq", 7), OutgoingRabbitMQMetadata.builder().withDeliveryMode(2)
                .withContentType("application/json").withPriority(4).build()));

        assertThat(told.outcome()).isEqualTo("confirmed");
        GetResponse arrived = admin.basicGet(name, true);
        assertThat(new String(arrived.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"seq\":7}");
        assertThat(arrived.getProps().getDeliveryMode()).as("persistent").isEqualTo(2);
        assertThat(arrived.getProps().getPriority()).isEqualTo(4);
        assertThat(arrived.getProps().getContentType()).isEqualTo("application/json");
    }

    @Test
    void aMessageAFullQueueRefusesIsRefusedAndTheOthersConfirmed() throws Exception {
        admin.queueDeclare(name, true, false, false, Map.of("x-max-length", 2, "x-overflow", "reject-publish"));
        BrokerPublisher.Link link = link("", name);
        List<Told> sent = List.of(new Told(), new Told(), new Told(), new Told());

        sent.forEach(told -> link.publish(told.message(Map.of("seq", 1), null)));

        assertThat(sent.stream().map(Told::outcome).toList())
                .containsExactly("confirmed", "confirmed", "refused", "refused");
        assertThat(admin.queueDeclarePassive(name).getMessageCount()).isEqualTo(2);
    }

    @Test
    void aMessageWhoseChannelClosesIsRefusedAndTheNextGoesOnANewChannel() throws Exception {
        // publishing to an exchange that does not exist is a channel error: the broker closes the channel
        BrokerPublisher.Link link = link(name, "");
        Told lost = new Told();
        link.publish(lost.message(Map.of("seq", 1), null));
        assertThat(lost.outcome()).isEqualTo("refused");

        admin.exchangeDeclare(name, "fanout");
        admin.queueDeclare(name, true, false, false, null);
        admin.queueBind(name, name, "");
        Told next = new Told();
        link.publish(next.message(Map.of("seq", 2), null));

        assertThat(next.outcome()).isEqualTo("confirmed");
        assertThat(admin.queueDeclarePassive(name).getMessageCount()).isEqualTo(1);
    }

    /** A link on the test's connection, its confirm time-out too long to matter here. */
    private BrokerPublisher.Link link(String exchange, String routingKey) {
        return new BrokerPublisher.Link(connection::createChannel, exchange, routingKey, Duration.ofMinutes(1),
                System::nanoTime, timer, new Resends(), TestPayloads.STRICT);
    }

    /** What a sender was told of one message, each time it was told. */
    private static final class Told {
        private final List<String> outcomes = new CopyOnWriteArrayList<>();

        Message<Object> message(Object payload, OutgoingRabbitMQMetadata metadata) {
            Message<Object> message = Message.of(payload, () -> {
                outcomes.add("confirmed");
                return CompletableFuture.completedFuture(null);
            }, refused -> {
                outcomes.add("refused");
                return CompletableFuture.completedFuture(null);
            });
            return metadata == null ? message : message.addMetadata(metadata);
        }

        /** The one outcome, once told; told twice fails. */
        String outcome() {
            await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> outcomes.size() == 1);
            return outcomes.get(0);
        }
    }
}
