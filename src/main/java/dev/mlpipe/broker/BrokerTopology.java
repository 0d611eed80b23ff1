package dev.mlpipe.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.recovery.RecordedBinding;
import com.rabbitmq.client.impl.recovery.RecordedConsumer;
import com.rabbitmq.client.impl.recovery.RecordedExchange;
import com.rabbitmq.client.impl.recovery.RecordedQueue;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.config.MlpipeConfig.ModelSettings.Backend;
import dev.mlpipe.model.Models;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * What the broker holds for mlpipe, declared before any channel uses it, by every process alike: each model's items
 * queue, whose length in messages the broker bounds to that model's capacity (a full queue refuses a publish, which
 * the publisher's confirm reports; an api bounds its items to the capacity before that, {@link BrokerQueue}), the fanout
 * exchange results go back through, and for a process that runs the API, its own results queue bound to that exchange.
 * Everything is durable, so a broker restart loses neither items nor results. It also reads an items queue's length
 * and readers ({@link BrokerWatch}), and holds the process's two
 * connections, which recover by themselves: one to publish on ({@link BrokerPublisher}), one to consume on
 * ({@link BrokerConsumer}).
 */
@ApplicationScoped
public class BrokerTopology {

    private static final Logger LOG = Logger.getLogger(BrokerTopology.class);

    private final MlpipeConfig config;
    private final BrokerNames names;
    private final Config settings;
    private volatile Connection connection;
    private volatile Connection consuming;
    private volatile Channel depthChannel;
    private final List<Runnable> onRecovery = new CopyOnWriteArrayList<>();

    /** @param settings where the connector's keys are read ({@link BrokerConnection}) */
    BrokerTopology(MlpipeConfig config, Config settings) {
        this.config = config;
        this.names = BrokerNames.of(config);
        this.settings = settings;
    }

    /** Before the messaging channels start: an incoming channel cannot consume from a queue that does not exist. */
    void declare(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started) throws Exception {
        if (!config.broker().enabled()) {
            return;
        }
        // made here, not in a field: without a broker, start-up does not load the AMQP client
        BrokerConnection broker = new BrokerConnection(settings);
        ConnectionFactory factory = broker.factory(); // the connector's settings; no credentials, no start
        recovering(factory);
        factory.setConnectionTimeout(5_000); // each try of the loop below, which waits up to the outage limit
        long giveUp = System.nanoTime() + config.broker().outageLimit().toNanos();
        connection = connect(broker, factory, "mlpipe-topology-" + config.instanceId(), giveUp);
        // consumers on a connection of their own: during a memory or disk alarm the broker stops reading from a
        // connection that publishes, and acknowledgements, which let the queues drain, would wait with the rest
        consuming = connect(broker, factory, "mlpipe-consume-" + config.instanceId(), giveUp);
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recovered) {
                onRecovery.forEach(Runnable::run);
            }

            @Override
            public void handleRecoveryStarted(Recoverable recovering) {
                // nothing to do before it is back
            }
        });
        for (Map.Entry<String, Integer> model : itemsQueues(config).entrySet()) {
            declareItemsQueue(model.getKey(), model.getValue());
        }
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(names.dead(), true, false, false, Map.of());
            channel.exchangeDeclare(names.results(), "fanout", true);
            if (config.role() != MlpipeConfig.Role.WORKER) {
                // durable, as a broker restart must not lose results; unused for the outage limit, the broker deletes
                // it: its api has gone, or its runs have failed, and no result in it would be read
                channel.queueDeclare(resultsQueue(), true, false, false,
                        Map.of("x-expires", config.broker().outageLimit().toMillis()));
                channel.queueBind(resultsQueue(), names.results(), "");
            }
        }
        depthChannel = consuming.createChannel(); // not blocked with the publishing connection in an alarm
        LOG.infof("RabbitMQ topology ready: items queues %s (at most %s items), exchange %s (fanout)",
                itemsQueues(config).keySet().stream().map(names::items).toList(), itemsQueues(config).values(),
                names.results());
    }

    private static Connection connect(BrokerConnection broker, ConnectionFactory factory, String name, long giveUp)
            throws InterruptedException {
        while (true) {
            try {
                return broker.connect(factory, name);
            } catch (IOException | TimeoutException e) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException("RabbitMQ at " + broker.where() + " is unreachable ("
                            + e.getMessage() + "); gave up after mlpipe.broker.outage-limit", e);
                }
                LOG.warnf("RabbitMQ at %s is unreachable (%s); trying again", broker.where(), e.getMessage());
                Thread.sleep(1_000);
            }
        }
    }

    /**
     * Has connections of {@code factory} recover by themselves after a loss, a try a second, with their channels and
     * consumers (their channels' unsettled delivery tags then settle nothing); not the queues and the exchange, which
     * are durable (a restarted broker still has them).
     */
    static void recovering(ConnectionFactory factory) {
        factory.setAutomaticRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(1_000);
        factory.setTopologyRecoveryEnabled(true);
        factory.setTopologyRecoveryFilter(new ConsumersOnly());
    }

    /** What the client's recovery registers again once the connection is back: consumers, and nothing durable. */
    static final class ConsumersOnly implements TopologyRecoveryFilter {

        @Override
        public boolean filterExchange(RecordedExchange exchange) {
            return false;
        }

        @Override
        public boolean filterQueue(RecordedQueue queue) {
            return false;
        }

        @Override
        public boolean filterBinding(RecordedBinding binding) {
            return false;
        }

        @Override
        public boolean filterConsumer(RecordedConsumer consumer) {
            return true;
        }
    }

    /**
     * The models whose items go through the broker, each with its capacity, {@code simulated} first: every model this
     * configuration names (and the shipped {@code digits}) but those of the v2 backend, which their own server runs.
     * Every process declares them all, so that an api's run on a model waits in its queue even before a worker that
     * loaded it starts.
     */
    static Map<String, Integer> itemsQueues(MlpipeConfig config) {
        Map<String, Integer> queues = new LinkedHashMap<>();
        queues.put(Models.SIMULATED, config.simulated().capacity());
        TreeSet<String> names = new TreeSet<>(config.models().keySet());
        names.add(Models.DIGITS);
        for (String name : names) {
            MlpipeConfig.ModelSettings model = config.models().get(name);
            if (model.backend().orElse(Backend.ONNX) != Backend.V2) {
                queues.putIfAbsent(name, model.capacity());
            }
        }
        return queues;
    }

    private void declareItemsQueue(String model, int capacity) throws IOException, TimeoutException {
        String queue = names.items(model);
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false,
                    Map.of("x-max-length", capacity, "x-overflow", "reject-publish",
                            "x-max-priority", dev.mlpipe.config.Priority.LEVELS));
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException refused
                    && refused.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == AMQP.PRECONDITION_FAILED) {
                // a durable queue keeps the bound it was declared with: every process must agree on it
                throw new IllegalStateException("RabbitMQ already has a queue " + queue + " declared otherwise than "
                        + "with x-max-length " + capacity + " (mlpipe.models." + model + ".capacity), x-overflow "
                        + "reject-publish and x-max-priority " + dev.mlpipe.config.Priority.LEVELS + ": give every "
                        + "process the same capacity, or, with no run going, delete it "
                        + "(rabbitmqctl delete_queue " + queue + "). The broker said: " + close.getReplyText(), e);
            }
            throw e;
        }
    }

    /** Runs {@code action} each time this process's connection to the broker has recovered from a loss. */
    void onRecovery(Runnable action) {
        onRecovery.add(action);
    }

    /**
     * A channel on this process's connection, which recovers it after a connection loss ({@link BrokerPublisher}).
     *
     * @throws IOException if the broker is unreachable now
     */
    Channel createChannel() throws IOException {
        return channelOn(connection);
    }

    /**
     * A channel to consume on ({@link BrokerConsumer}), on a connection that does not publish, which recovers it with
     * its consumer after a connection loss.
     *
     * @throws IOException if the broker is unreachable now
     */
    Channel createConsumingChannel() throws IOException {
        return channelOn(consuming);
    }

    private static Channel channelOn(Connection c) throws IOException {
        if (!open(c)) {
            throw new IOException("RabbitMQ is unreachable");
        }
        return c.createChannel();
    }

    /** Whether a connection has been made and is up now: false from a loss until the client has recovered it. */
    private static boolean open(Connection c) {
        return c != null && c.isOpen();
    }

    /** The queue this api process reads results from; the same name the results-in channel is configured with. */
    public String resultsQueue() {
        return names.resultsQueue();
    }

    /**
     * Whether this process's connections to the broker are up now: false from the moment one drops (the client sees
     * the socket close, or misses heartbeats) until it has recovered.
     */
    public boolean reachable() {
        return open(connection) && open(consuming);
    }

    /** Whether the connection this process publishes on is up now ({@link BrokerQueue}). */
    boolean publishable() {
        return open(connection);
    }

    /** What a model's items queue on the broker holds and who reads it. */
    public record Sample(int depth, int consumers) {
    }

    /**
     * Reads how many messages wait in one of the broker's items queues (each one item or several) and how many workers
     * read it. @return null if the broker is unreachable
     */
    Sample sample(String queue) {
        Connection c = consuming;
        if (!open(c)) {
            return null;
        }
        try {
            Channel channel = depthChannel;
            if (channel == null || !channel.isOpen()) {
                // the broker closes a channel on an error (the queue was deleted, say): a new one, once it is back
                channel = depthChannel = c.createChannel();
            }
            AMQP.Queue.DeclareOk declared = channel.queueDeclarePassive(queue);
            return new Sample(declared.getMessageCount(), declared.getConsumerCount());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @PreDestroy
    void close() {
        for (Connection c : new Connection[] { consuming, connection }) {
            if (open(c)) {
                try {
                    c.close(1_000);
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("closing a connection to RabbitMQ: %s", e.getMessage());
                }
            }
        }
    }
}
