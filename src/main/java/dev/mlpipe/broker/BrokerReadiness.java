package dev.mlpipe.broker;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;

/** Readiness at {@code /q/health/ready}: down while the broker is unreachable; always up without a broker. */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

    private final BrokerWatch watch;

    BrokerReadiness(BrokerWatch watch) {
        this.watch = watch;
    }

    @Override
    public HealthCheckResponse call() {
        BrokerWatch.Status broker = watch.status();
        return HealthCheckResponse.named("broker reachable").status(broker == null || broker.reachable())
                .withData("broker", broker == null ? "none (in-process links)" : "RabbitMQ")
                .withData("workers", broker == null ? 0 : broker.workers())
                .build();
    }
}
