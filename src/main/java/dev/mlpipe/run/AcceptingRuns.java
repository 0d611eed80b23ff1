package dev.mlpipe.run;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.mlpipe.config.MlpipeConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Readiness at {@code /q/health/ready}: whether the pipeline accepts new runs (a worker takes none, and is ready). */
@Readiness
@ApplicationScoped
public class AcceptingRuns implements HealthCheck {

    private final Runs runs;
    private final MlpipeConfig.Role role;

    AcceptingRuns(Runs runs, MlpipeConfig config) {
        this.runs = runs;
        this.role = config.role();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pipeline accepts runs")
                .status(role == MlpipeConfig.Role.WORKER || runs.accepting())
                .withData("role", role.label())
                .withData("activeRuns", runs.active())
                .build();
    }
}
