package dev.mlpipe.stream;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.run.Runs;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every {@code mlpipe.stream.stats-interval}, each running run adds a point to its series and sends its live view to
 * its clients as a stats event.
 */
@ApplicationScoped
public class StatsTicker {

    private final Runs runs;
    private final Vertx vertx;
    private final long intervalMillis;

    StatsTicker(Runs runs, Vertx vertx, MlpipeConfig config) {
        this.runs = runs;
        this.vertx = vertx;
        this.intervalMillis = config.stream().statsInterval().toMillis();
    }

    void start(@Observes StartupEvent started) {
        vertx.setPeriodic(intervalMillis, tick -> runs.tick());
    }
}
