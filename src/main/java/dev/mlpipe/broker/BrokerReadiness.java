package dev.mlpipe.broker;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
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
        HealthCheckResponseBuilder response = HealthCheckResponse.named("broker reachable")
                .status(broker == null || broker.reachable())
                .withData("broker", broker == null ? "none (in-process links)" : "RabbitMQ")
                .withData("workers", broker == null ? 0 : broker.workers());
        if (broker != null) {
            // a model no worker reads: its runs' items wait in its queue until one that loaded it starts
            broker.models().forEach(model -> response.withData("workers." + model.model(), model.workers()));
        }
        return response.build();
    }
}
