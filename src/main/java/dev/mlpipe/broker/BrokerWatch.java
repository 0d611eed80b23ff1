package dev.mlpipe.broker;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.model.Models;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

/**
 * Watches the broker four times a second by reading each model's items queue: how many workers read it (none: no
 * worker has loaded the model, and its runs' items wait, which their views say: {@link BrokerQueue#consumers}). It
 * samples each model's depth at the same pace (its items outstanding, {@link BrokerQueue#sample}): depth figures with
 * a broker are samples, not every change. Readiness
 * ({@link BrokerReadiness}) is down while the broker is unreachable; the channels reconnect by themselves, and runs go
 * on once it is back. If it stays away longer than {@code mlpipe.broker.outage-limit}, it says so with a
 * {@link Outage} event: the runs still going end failed, as their results may never come.
 */
@ApplicationScoped
public class BrokerWatch {

    private static final Logger LOG = Logger.getLogger(BrokerWatch.class);

    /** The broker has been unreachable for as long as {@code mlpipe.broker.outage-limit} allows. */
    public record Outage(Duration away) {
    }

    private final BrokerTopology topology;
    private final Event<Outage> outage;
    private final MlpipeConfig config;
    private final BrokerNames names;
    private final BrokerQueues queues;
    /** Each model's items queue, by model, {@code simulated} first. */
    private final Map<String, String> itemsQueues = new LinkedHashMap<>();
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("mlpipe-broker-watch", true));
    // the watcher's thread only
    private long unreachableSince = -1;
    private boolean outageReported;
    private Map<String, Integer> lastWorkers = Map.of();
    /** What readiness and GET /api/pipeline both show: one snapshot, so they never disagree. */
    private volatile Status current;

    BrokerWatch(BrokerTopology topology, Event<Outage> outage, MlpipeConfig config, BrokerQueues queues) {
        this.topology = topology;
        this.outage = outage;
        this.config = config;
        this.queues = queues;
        this.names = BrokerNames.of(config);
        if (config.broker().enabled()) {
            BrokerTopology.itemsQueues(config).keySet().forEach(model -> itemsQueues.put(model, names.items(model)));
        }
        this.current = config.broker().enabled() ? status(false, Map.of()) : null;
    }

    void start(@Observes StartupEvent started) {
        if (config.broker().enabled()) {
            watcher.scheduleWithFixedDelay(this::check, 250, 250, TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        watcher.shutdownNow();
    }

    /**
     * The broker as {@code GET /api/pipeline} shows it, at the last look.
     *
     * @param workers consumers of the simulated model's items queue, which every worker loads: the workers
     * @param models each model's items queue and how many workers read it, {@code simulated} first
     */
    @RegisterForReflection
    public record Status(boolean reachable, String namespace, String resultsExchange, int workers,
            List<ModelQueue> models) {
    }

    /** @param workers consumers of the queue: 0 when no worker has loaded the model, whose items then wait */
    @RegisterForReflection
    public record ModelQueue(String model, String itemsQueue, int workers) {
    }

    private Status status(boolean reachable, Map<String, Integer> workers) {
        List<ModelQueue> models = itemsQueues.entrySet().stream()
                .map(q -> new ModelQueue(q.getKey(), q.getValue(), workers.getOrDefault(q.getKey(), 0))).toList();
        return new Status(reachable, names.namespace(), names.results(), workers.getOrDefault(Models.SIMULATED, 0),
                models);
    }

    /** @return null without a broker */
    public Status status() {
        return current;
    }

    /** Reads every items queue; @return consumers by model, or null if the broker is unreachable */
    private Map<String, Integer> sample() {
        Map<String, Integer> workers = new HashMap<>();
        for (Map.Entry<String, String> model : itemsQueues.entrySet()) {
            BrokerTopology.Sample sample = topology.sample(model.getValue());
            if (sample == null) {
                return null;
            }
            workers.put(model.getKey(), sample.consumers());
        }
        return workers;
    }

    private void check() {
        queues.sample();
        Map<String, Integer> workers = sample();
        if (workers != null) {
            lastWorkers = workers;
            queues.consumers(workers);
            if (unreachableSince >= 0) {
                LOG.info("RabbitMQ is reachable again");
            }
            unreachableSince = -1;
            outageReported = false;
            current = status(true, workers);
            return;
        }
        long now = System.nanoTime();
        if (unreachableSince < 0) {
            unreachableSince = now;
            LOG.warn("RabbitMQ is unreachable; the channels try to reconnect");
            current = status(false, lastWorkers);
        }
        Duration away = Duration.ofNanos(now - unreachableSince);
        if (!outageReported && away.compareTo(config.broker().outageLimit()) >= 0) {
            outageReported = true;
            outage.fire(new Outage(away));
        }
    }
}
