package dev.mlpipe.run;

import java.time.Duration;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.broker.BrokerIntake;
import dev.mlpipe.observe.PipelineActivity;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownDelayInitiated;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.TimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import sun.misc.Signal;

/**
 * What SIGTERM does. Before Quarkus stops taking requests: new runs are refused (readiness goes down, a POST is
 * answered 503), the loaders stop, the model finishes what is already queued (within {@code quarkus.shutdown.timeout}),
 * then every run still going ends {@code interrupted} with honest counts, so each open stream gets its remaining
 * results and an end event before the service exits, with status 0; a stream that cannot take them in time is told it
 * is cut off for the shutdown, and where to resume. A worker ({@code mlpipe.role=worker}) takes no
 * new item and finishes those it has; what waits in the broker's queue is left to the other workers.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);
    private static final Duration POLL = Duration.ofMillis(20);

    private final Runs runs;
    private final PipelineActivity activity;
    private final BrokerIntake intake;
    private final boolean worker;
    private final Duration timeout;

    GracefulShutdown(Runs runs, PipelineActivity activity, BrokerIntake intake, MlpipeConfig config,
            @ConfigProperty(name = "quarkus.shutdown.timeout") Optional<Duration> timeout) {
        this.runs = runs;
        this.activity = activity;
        this.intake = intake;
        this.worker = config.role() == MlpipeConfig.Role.WORKER;
        this.timeout = timeout.orElse(Duration.ofSeconds(10));
    }

    /**
     * The JVM answers SIGTERM by exiting with status 143; a service asked to stop that stops cleanly should say 0.
     * Quarkus.asyncExit runs the same shutdown as the JVM's hooks would.
     */
    void onStart(@Observes StartupEvent started) {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
        }
    }

    @ShutdownDelayInitiated
    void drain() {
        long activeRuns = runs.active();
        runs.stopLoading();
        if (worker) {
            intake.stopTaking();
        }
        Duration draining = timeout.multipliedBy(3).dividedBy(4);
        LOG.infof("Shutting down: %d runs active, %d items awaited, %d in inference; draining for up to %s",
                activeRuns, runs.inFlight(), activity.read().busy(), draining);
        awaitOrGiveUp(worker ? "the model to finish its items" : "the model to finish the queued items",
                draining, () -> activity.read().busy() == 0 && runs.inFlight() == 0
                        // a worker's items are acknowledged once their results are confirmed
                        && (!worker || intake.resultsPending() == 0));
        runs.interruptAll();
        awaitOrGiveUp("the event streams to send their end", timeout.dividedBy(10), () -> runs.subscribers() == 0);
        runs.cutStreams("shutdown");
        awaitOrGiveUp("the event streams to say they are cut off", timeout.dividedBy(10), () -> runs.subscribers() == 0);
    }

    private static void awaitOrGiveUp(String what, Duration limit, java.util.function.BooleanSupplier done) {
        try {
            Multi.createFrom().ticks().every(POLL)
                    .select().where(tick -> done.getAsBoolean())
                    .toUni().await().atMost(limit);
        } catch (TimeoutException e) {
            LOG.warnf("Gave up waiting for %s after %s", what, limit);
        }
    }
}
