package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import dev.mlpipe.support.Rabbit;
import dev.mlpipe.support.RabbitRequired;

/**
 * A worker's intake against the RabbitMQ on 127.0.0.1, through a connection set up as {@link BrokerTopology} sets up
 * its own: what it was sent is settled on the channel that sent it, so an item finished after its connection was lost
 * and recovered acknowledges nothing it was sent since (which would be lost unrun), and the intake goes on receiving,
 * with one consumer, after a lost connection as after a channel the broker closed or a queue deleted and declared
 * again.
 */
@RabbitRequired
class BrokerConsumerTest {

    private final String queue = "mlpipe-consumer-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final String workerName = queue + "-worker";
    private Rabbit rabbit;
    private Connection worker;
    private Connection other;

    @BeforeEach
    void connect() throws Exception {
        rabbit = Rabbit.connect();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(Rabbit.HOST);
        factory.setPort(Rabbit.PORT);
        BrokerTopology.recovering(factory);
        worker = factory.newConnection(workerName);
        other = factory.newConnection(queue + "-other");
        try (Channel channel = other.createChannel()) {
            channel.queueDeclare(queue, false, false, false, Map.of());
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (Channel channel = other.createChannel()) {
            channel.queueDelete(queue);
        }
        other.abort();
        worker.abort();
        rabbit.close();
    }

    @Test
    void anItemFinishedAfterAReconnectionAcknowledgesNothingItWasSentSince() throws Exception {
        List<Message<?>> received = workerReceivesA();

        // a second worker, which holds what it is sent: A, once the first worker's connection has gone
        List<String> otherHolds = new CopyOnWriteArrayList<>();
        Channel otherChannel = other.createChannel();
        otherChannel.basicQos(1);
        otherChannel.basicConsume(queue, false, (tag, delivery) -> otherHolds.add(
                new String(delivery.getBody(), StandardCharsets.UTF_8)), tag -> {
                });

        Rabbit.closeConnections(workerName);
        await().atMost(Duration.ofSeconds(10)).until(() -> otherHolds.contains("\"A\""));
        rabbit.publishToQueue(queue, "application/json", json("B"));
        await("the recovered connection's consumer is sent B").atMost(Duration.ofSeconds(30))
                .until(() -> received.size() == 2);
        assertThat(received.get(1).getPayload()).isEqualTo(json("B"));

        // the first worker finishes A, which it was sent before the loss; B, not run, must stay the broker's
        received.get(0).ack().toCompletableFuture().join();
        worker.close(); // what it has not acknowledged goes back to the queue
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rabbit.depth(queue))
                .as("B back in the queue, unacknowledged by A's acknowledgement").isEqualTo(1));
    }

    @Test
    void aRefusedMessageGoesBackToTheQueueAndAnAcknowledgedOneLeavesIt() throws Exception {
        List<Message<?>> received = workerReceivesA();

        received.get(0).nack(new IllegalStateException("its inference failed")).toCompletableFuture().join();
        await("delivered again").atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertThat(received.get(1).getPayload()).isEqualTo(json("A"));
        received.get(1).ack().toCompletableFuture().join();
        worker.close(); // were it unacknowledged, it would be back in the queue
        await("the queue stays empty").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> rabbit.depth(queue) == 0);
    }

    @Test
    void aChannelTheBrokerClosesIsReplacedAndWhatItHeldIsSentAgain() throws Exception {
        List<Message<?>> received = workerReceivesA();
        received.get(0).ack().toCompletableFuture().join();
        rabbit.publishToQueue(queue, "application/json", json("B"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);

        // A's tag again, which the broker no longer knows: a channel error, and it closes the channel, B unsettled
        received.get(0).ack().toCompletableFuture().join();
        await("B sent again, on a new channel").atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertThat(received.get(2).getPayload()).isEqualTo(json("B"));
    }

    @Test
    void aReplacedChannelDoesNotComeBackBesideItsReplacementAfterAReconnection() throws Exception {
        List<Message<?>> received = workerReceivesA();
        received.get(0).ack().toCompletableFuture().join();
        received.get(0).ack().toCompletableFuture().join(); // a channel error: the channel is replaced
        await("a consumer again").atMost(Duration.ofSeconds(10))
                .until(() -> Rabbit.prefetchOfConsumers(queue).size() == 1);

        Rabbit.closeConnections(workerName);
        rabbit.publishToQueue(queue, "application/json", json("B"));
        await("the recovered connection's consumer is sent B").atMost(Duration.ofSeconds(30))
                .until(() -> received.size() == 2);
        // the recovery registers every consumer it knows before it reports back: a second would show within a second
        await("one consumer, with its prefetch").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(() -> Rabbit.prefetchOfConsumers(queue).equals(List.of(1)));
    }

    @Test
    void aConsumerWhoseQueueWasDeletedConsumesAgainOnceTheQueueIsBack() throws Exception {
        List<Message<?>> received = workerReceivesA();
        received.get(0).ack().toCompletableFuture().join();
        try (Channel channel = other.createChannel()) {
            channel.queueDelete(queue);
            channel.queueDeclare(queue, false, false, false, Map.of());
        }
        rabbit.publishToQueue(queue, "application/json", json("B"));
        await("B, from the queue declared again").atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertThat(received.get(1).getPayload()).isEqualTo(json("B"));
    }

    @Test
    void messagesAcknowledgedBeforeAnEarlierOneLeaveTheQueueOnlyOnceItIsSettled() throws Exception {
        List<Message<?>> received = workerReceives("A", "B", "C");
        received.get(2).ack().toCompletableFuture().join();
        received.get(1).ack().toCompletableFuture().join();
        received.get(0).nack(new IllegalStateException("its inference failed")).toCompletableFuture().join();
        await("A delivered again").atMost(Duration.ofSeconds(10)).until(() -> received.size() == 4);
        assertThat(received.get(3).getPayload()).isEqualTo(json("A"));
        received.get(3).ack().toCompletableFuture().join();

        worker.close(); // were any unacknowledged, it would be back in the queue
        await("B and C left with A refused before them").during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(5)).until(() -> rabbit.depth(queue) == 0);
    }

    @Test
    void aWorkerThatStopsWithAnEarlierDeliveryUnsettledHasTheLaterOnesDeliveredAgainToo() throws Exception {
        List<Message<?>> received = workerReceives("A", "B", "C");
        received.get(1).ack().toCompletableFuture().join(); // B's results confirmed; A still runs

        worker.abort(); // kill -9
        await("A and C, and B, whose acknowledgement waited for A").atMost(Duration.ofSeconds(10))
                .until(() -> rabbit.depth(queue) == 3);
    }

    /** Publishes these and has the worker's intake (a prefetch of as many) receive them, in order. */
    private List<Message<?>> workerReceives(String... texts) throws IOException {
        for (String text : texts) {
            rabbit.publishToQueue(queue, "application/json", json(text));
        }
        List<Message<?>> received = new CopyOnWriteArrayList<>();
        BrokerConsumer.messages(worker::createChannel, queue, texts.length).subscribe().with(received::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == texts.length);
        for (int i = 0; i < texts.length; i++) {
            assertThat(received.get(i).getPayload()).isEqualTo(json(texts[i]));
        }
        return received;
    }

    /** Publishes A and has the worker's intake (a prefetch of one) receive it; returns what it receives, A first. */
    private List<Message<?>> workerReceivesA() throws IOException {
        rabbit.publishToQueue(queue, "application/json", json("A"));
        List<Message<?>> received = new CopyOnWriteArrayList<>();
        BrokerConsumer.messages(worker::createChannel, queue, 1).subscribe().with(received::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertThat(received.get(0).getPayload()).isEqualTo(json("A"));
        return received;
    }

    private static byte[] json(String text) {
        return ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8);
    }
}
