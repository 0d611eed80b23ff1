package dev.mlpipe.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/** The RabbitMQ on 127.0.0.1:5672 that broker tests run against, as an operator sees it: queues, depths, messages. */
public final class Rabbit implements AutoCloseable {

    /** Where the broker tests find RabbitMQ; {@code -Dtest.rabbitmq.port} points them elsewhere. */
    public static final String HOST = System.getProperty("test.rabbitmq.host", "127.0.0.1");
    public static final int PORT = Integer.getInteger("test.rabbitmq.port", 5672);

    private final Connection connection;
    private final Channel channel;

    private Rabbit(Connection connection) throws IOException {
        this.connection = connection;
        this.channel = connection.createChannel();
    }

    public static Rabbit connect() {
        return connect("/");
    }

    /** As {@link #connect()}, in a virtual host of the broker. */
    public static Rabbit connect(String virtualHost) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(HOST);
        factory.setPort(PORT);
        factory.setVirtualHost(virtualHost);
        try {
            return new Rabbit(factory.newConnection("mlpipe-tests"));
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("broker tests need RabbitMQ on " + HOST + ":" + PORT
                    + " (bash .ci/run starts it)", e);
        }
    }

    /** Whether the queue exists (in this connection's virtual host). */
    public synchronized boolean exists(String queue) throws IOException {
        try (Channel probe = connection.createChannel()) { // a failed passive declare closes its channel
            probe.queueDeclarePassive(queue);
            return true;
        } catch (IOException e) {
            return false;
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** Empties a queue, as an operator's {@code rabbitmqctl purge_queue} does. */
    public synchronized void purge(String queue) throws IOException {
        channel.queuePurge(queue);
    }

    /** Messages ready in a queue: what {@code rabbitmqctl list_queues messages_ready} shows. */
    public synchronized int depth(String queue) {
        try {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException e) {
            throw new IllegalStateException("no queue " + queue, e);
        }
    }

    /** Takes the next message of a queue, as an operator reading dead letters does; null when it is empty. */
    public synchronized com.rabbitmq.client.GetResponse take(String queue) throws IOException {
        return channel.basicGet(queue, true);
    }

    /** Publishes raw bytes with any content type (null: none), as a hostile or broken producer might. */
    public synchronized void publishToQueue(String queue, String contentType, byte[] body) throws IOException {
        channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().contentType(contentType).build(), body);
    }

    /** Publishes a JSON body with these headers, persistent, as a worker does. */
    public synchronized void publishToQueue(String queue, byte[] body, Map<String, Object> headers) throws IOException {
        channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().contentType("application/json")
                .deliveryMode(2).headers(headers).build(), body);
    }

    public synchronized void publishToExchange(String exchange, String body) throws IOException {
        channel.basicPublish(exchange, "", json(), body.getBytes(StandardCharsets.UTF_8));
    }

    /** Removes what a test declared, so the broker is left as it was found. */
    public synchronized void delete(String exchange, String... queues) throws IOException {
        for (String queue : queues) {
            channel.queueDelete(queue);
        }
        channel.exchangeDelete(exchange);
    }

    /** Stops the broker, as an operator's {@code rabbitmqctl stop_app} does: every connection to it drops. */
    public static void stopBroker() {
        rabbitmqctl("stop_app");
    }

    /** Starts it again, and returns once it accepts connections. */
    public static void startBroker() {
        rabbitmqctl("start_app");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            connect().close();
            return true;
        });
    }

    /**
     * Closes the connections a client named {@code name}, from the broker's side, as a network failure would end
     * them for the client: it recovers them if it can.
     */
    public static void closeConnections(String name) {
        int closed = 0;
        // each line: the connection's pid, then its client properties, such as {"connection_name","..."}
        for (String line : rabbitmqctl("list_connections", "-q", "--no-table-headers", "pid", "client_properties")
                .split("\n")) {
            String[] columns = line.strip().split("\\s+", 2);
            if (columns.length == 2 && columns[1].contains("{\"connection_name\",\"" + name + "\"}")) {
                rabbitmqctl("close_connection", columns[0], "closed by a test");
                closed++;
            }
        }
        if (closed == 0) {
            throw new IllegalStateException("the broker has no connection named " + name);
        }
    }

    /** A virtual host of its own, where guest may do everything, as an operator makes one for a service. */
    public static void addVirtualHost(String name) {
        rabbitmqctl("add_vhost", name);
        rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
    }

    /** Deletes the virtual host and everything in it. */
    public static void deleteVirtualHost(String name) {
        rabbitmqctl("delete_vhost", name);
    }

    /** The prefetch of each consumer of a queue, as {@code rabbitmqctl list_consumers} shows it. */
    public static List<Integer> prefetchOfConsumers(String queue) {
        List<Integer> prefetch = new ArrayList<>();
        for (String line : rabbitmqctl("list_consumers", "-q", "--no-table-headers", "queue_name", "prefetch_count")
                .split("\n")) {
            String[] columns = line.strip().split("\\s+");
            if (columns.length == 2 && columns[0].equals(queue)) {
                prefetch.add(Integer.parseInt(columns[1]));
            }
        }
        return prefetch;
    }

    /** Each queue's ready and unacknowledged messages and its consumers, as {@code rabbitmqctl list_queues} shows. */
    public static String queues() {
        return rabbitmqctl("list_queues", "-q", "name", "messages_ready", "messages_unacknowledged", "consumers");
    }

    /** A queue's messages delivered to its consumers and not yet acknowledged, as {@code rabbitmqctl} shows them. */
    public static int unacknowledged(String queue) {
        for (String line : queues().split("\n")) {
            String[] columns = line.strip().split("\\s+");
            if (columns.length == 4 && columns[0].equals(queue)) {
                return Integer.parseInt(columns[2]);
            }
        }
        throw new IllegalStateException("no queue " + queue + " on the broker");
    }

    private static String rabbitmqctl(String... command) {
        try {
            List<String> line = new ArrayList<>(List.of("rabbitmqctl"));
            line.addAll(List.of(command));
            Process ctl = new ProcessBuilder(line).redirectErrorStream(true).start();
            String said = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ctl.waitFor(60, TimeUnit.SECONDS) || ctl.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", command) + " failed: " + said);
            }
            return said;
        } catch (IOException e) {
            throw new IllegalStateException("rabbitmqctl " + String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }

    private static AMQP.BasicProperties json() {
        return new AMQP.BasicProperties.Builder().contentType("application/json").build();
    }
}
