package dev.mlpipe.run;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;

/** Readiness at {@code /q/health/ready}: whether the pipeline accepts new runs. */
@Readiness
@ApplicationScoped
public class AcceptingRuns implements HealthCheck {

    private final Runs runs;

    AcceptingRuns(Runs runs) {
        this.runs = runs;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pipeline accepts runs")
                .status(runs.accepting())
                .withData("activeRuns", runs.active())
                .build();
    }
}
