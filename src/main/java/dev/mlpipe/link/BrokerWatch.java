package dev.mlpipe.link;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.run.Runs;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Watches the broker four times a second by reading the items queue's depth, which is the pipeline's depth with a
 * broker (so depth figures are samples, not every change), and how many workers read it. Readiness
 * ({@link BrokerReadiness}) is down while the broker is unreachable; the channels reconnect by themselves, and runs go
 * on once it is back. If it stays away longer than {@code mlpipe.broker.outage-limit}, the runs still going end
 * failed, saying why: their results may never come.
 */
@ApplicationScoped
public class BrokerWatch {

    private static final Logger LOG = Logger.getLogger(BrokerWatch.class);

    private final BrokerTopology topology;
    private final Runs runs;
    private final MlpipeConfig config;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("mlpipe-broker-watch", true));
    private volatile long unreachableSince = -1;
    private volatile BrokerTopology.Sample last;
    private volatile boolean runsFailed;

    BrokerWatch(BrokerTopology topology, Runs runs, MlpipeConfig config) {
        this.topology = topology;
        this.runs = runs;
        this.config = config;
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
    public record Status(boolean reachable, String itemsQueue, String resultsExchange, int workers) {
    }

    public Status status() {
        if (!config.broker().enabled()) {
            return null;
        }
        BrokerTopology.Sample sample = last;
        return new Status(unreachableSince < 0 && sample != null, config.broker().itemsQueue(),
                config.broker().resultsExchange(), sample == null ? 0 : sample.consumers());
    }

    private void check() {
        BrokerTopology.Sample sample = topology.sample();
        if (sample != null) {
            last = sample;
            if (unreachableSince >= 0) {
                LOG.info("RabbitMQ is reachable again");
            }
            unreachableSince = -1;
            runsFailed = false;
            return;
        }
        long now = System.nanoTime();
        if (unreachableSince < 0) {
            unreachableSince = now;
            LOG.warn("RabbitMQ is unreachable; the channels try to reconnect");
        }
        Duration away = Duration.ofNanos(now - unreachableSince);
        if (!runsFailed && away.compareTo(config.broker().outageLimit()) >= 0 && config.role() != MlpipeConfig.Role.WORKER) {
            runsFailed = true;
            runs.failAll("the broker has been unreachable for " + away.toSeconds() + " s, the limit set by "
                    + "mlpipe.broker.outage-limit: the results of this run may never arrive");
        }
    }
}
