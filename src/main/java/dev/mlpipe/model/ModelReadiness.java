package dev.mlpipe.model;

import java.util.Map;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Readiness at {@code /q/health/ready}: down while a remote (v2) model's server has not yet said what the model takes,
 * naming each such model and why; up when every model takes items.
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final Models models;

    ModelReadiness(Models models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> notReady = models.allNotReady();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("models ready").status(notReady.isEmpty());
        notReady.forEach(response::withData);
        return response.build();
    }
}
