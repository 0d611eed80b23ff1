package dev.mlpipe.serve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * What the v2 server did, by model: requests by outcome ({@code mlpipe_v2_requests_total{model,outcome}}), the time
 * from a request's arrival to its answer, and the time its rows waited in the queue. A model name no model has counts
 * as {@code unknown}, so a client cannot grow the series. The batches the rows joined show in
 * {@code mlpipe_batch_size}.
 */
@Singleton
public class ServingMetrics {

    /** The model label of a request for a model that does not exist. */
    public static final String UNKNOWN = "unknown";
    private static final Duration[] SLO = { Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5) };

    private final PrometheusMeterRegistry registry;
    /** Each meter by its name and tags, registered on its first use. */
    private final Map<String, Meter> registered = new ConcurrentHashMap<>();

    ServingMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** Each model's traffic as the page shows it (not for unknown models). */
    private final Map<String, V2Traffic> traffic = new ConcurrentHashMap<>();

    /** A model's v2 traffic now: requests since start, and the last few seconds' rate and p99. */
    public V2Traffic.Reading traffic(String model) {
        V2Traffic known = traffic.get(model);
        return known == null ? new V2Traffic.Reading(0, 0, null) : known.read();
    }

    /** A request ended: counted by its model (or {@value #UNKNOWN}) and outcome. */
    public void ended(String model, String outcome) {
        if (!model.equals(UNKNOWN)) {
            traffic.computeIfAbsent(model, name -> new V2Traffic()).ended();
        }
        ((Counter) registered.computeIfAbsent("requests/" + model + "/" + outcome,
                key -> Counter.builder("mlpipe.v2.requests").tag("model", model).tag("outcome", outcome)
                        .description("Inference requests over the v2 protocol, by how they ended")
                        .register(registry))).increment();
    }

    /** An answered request took {@code nanos} from its arrival to its answer. */
    public void answered(String model, long nanos) {
        traffic.computeIfAbsent(model, name -> new V2Traffic()).answered(nanos);
        timer("mlpipe.v2.request", model, "Time from a v2 request's arrival to its answer")
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request's row waited {@code micros} in the queue before the model took it. */
    public void queued(String model, long micros) {
        timer("mlpipe.v2.queue.wait", model, "Time a v2 request's rows waited in the model's queue")
                .record(Math.max(0, micros), TimeUnit.MICROSECONDS);
    }

    private Timer timer(String name, String model, String description) {
        return (Timer) registered.computeIfAbsent(name + "/" + model, key -> Timer.builder(name).tag("model", model)
                .serviceLevelObjectives(SLO).description(description).register(registry));
    }

    /** Dev mode's reload makes a new registry user: this one's meters go with it. */
    @PreDestroy
    void unregister() {
        registered.values().forEach(registry::remove);
    }
}
