package dev.mlpipe.broker;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.mlpipe.config.MlpipeConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

/**
 * Watches the broker four times a second by reading the items queue's depth, which is the pipeline's depth with a
 * broker (so depth figures are samples, not every change), and how many workers read it. Readiness
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
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("mlpipe-broker-watch", true));
    // the watcher's thread only
    private long unreachableSince = -1;
    private boolean outageReported;
    private BrokerTopology.Sample last;
    /** What readiness and GET /api/pipeline both show: one snapshot, so they never disagree. */
    private volatile Status current;

    BrokerWatch(BrokerTopology topology, Event<Outage> outage, MlpipeConfig config) {
        this.topology = topology;
        this.outage = outage;
        this.config = config;
        this.names = BrokerNames.of(config);
        this.current = config.broker().enabled() ? status(false, 0) : null;
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
     * The broker as {@code GET /api/pipeline} shows it. @param workers consumers of the items queue, at the last look
     * @return null without a broker
     */
    @RegisterForReflection
    public record Status(boolean reachable, String namespace, String itemsQueue, String resultsExchange, int workers) {
    }

    private Status status(boolean reachable, int workers) {
        return new Status(reachable, names.namespace(), names.items(), names.results(), workers);
    }

    /** @return null without a broker */
    public Status status() {
        return current;
    }

    private void check() {
        BrokerTopology.Sample sample = topology.sample();
        if (sample != null) {
            last = sample;
            if (unreachableSince >= 0) {
                LOG.info("RabbitMQ is reachable again");
            }
            unreachableSince = -1;
            outageReported = false;
            current = status(true, sample.consumers());
            return;
        }
        long now = System.nanoTime();
        if (unreachableSince < 0) {
            unreachableSince = now;
            LOG.warn("RabbitMQ is unreachable; the channels try to reconnect");
            current = status(false, last == null ? 0 : last.consumers());
        }
        Duration away = Duration.ofNanos(now - unreachableSince);
        if (!outageReported && away.compareTo(config.broker().outageLimit()) >= 0) {
            outageReported = true;
            outage.fire(new Outage(away));
        }
    }
}
