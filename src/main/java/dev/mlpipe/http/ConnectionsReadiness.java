package dev.mlpipe.http;

import java.time.Duration;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Readiness at {@code /q/health/ready}: down until the plain HTTP port's connections are watched from their opening
 * ({@link ConnectionGuard}: a request the service sends itself as the port opens puts the watch on, a moment after the
 * port listens), or that request did not reach the routes, which a warning says. A connection accepted before then
 * escapes its header timeout and the connection caps until its first request, so a probe that said ready then would
 * let a stranger's first connections through.
 */
@Readiness
@ApplicationScoped
public class ConnectionsReadiness implements HealthCheck {

    private static final Duration WAIT = Duration.ofMillis(500);

    private final ConnectionGuard guard;

    ConnectionsReadiness(ConnectionGuard guard) {
        this.guard = guard;
    }

    @Override
    public HealthCheckResponse call() {
        // a probe right after start waits the moment the watch takes rather than failing once (health checks block
        // a worker thread, never the event loop that puts the watch on)
        return HealthCheckResponse.named("connections watched").status(guard.awaitTapOn(WAIT)).build();
    }
}
