package dev.mlpipe.serve;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.config.MlpipeConfig.ModelSettings.WhenFull;
import dev.mlpipe.config.Priority;
import dev.mlpipe.model.ResultOwner;
import dev.mlpipe.model.Result;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.run.Runs;
import dev.mlpipe.v2.InferRequest;
import dev.mlpipe.v2.V2Refused;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Inference requests of the v2 server, as rows in a model's queue: each row is an item, batched with whatever else is
 * queued (other requests' rows, runs' items), under the request's {@code priority} and {@code timeout} (Triton's
 * request parameters). A request waits for its results at most its timeout, or {@code mlpipe.v2.max-wait}; its rows
 * that find the queue full wait for room within that time, or, under a model's {@code v2-when-full=reject}, the
 * request is refused at once. Every request ends in one {@link Outcome}.
 */
@Singleton
public class InferenceRequests implements ResultOwner {

    /** Triton's request parameters this server reads. */
    public static final String PRIORITY = "priority";
    public static final String TIMEOUT = "timeout";

    private final Map<String, PendingRequest> pending = new ConcurrentHashMap<>();
    private final MlpipeConfig config;
    private final Vertx vertx;
    private final ServingMetrics metrics;

    private final Runs runs;

    InferenceRequests(MlpipeConfig config, Vertx vertx, ServingMetrics metrics, Runs runs) {
        this.config = config;
        this.runs = runs;
        this.vertx = vertx;
        this.metrics = metrics;
    }

    /**
     * The request's rows enter the model's queue.
     *
     * @throws V2Refused (400) for a request that breaks the model's metadata, a parameter's rule, or holds more rows
     *         than the model's queue
     */
    public PendingRequest submit(ServedModel served, InferRequest request, long arrivedNanos) {
        int priority = priority(request);
        OptionalLong timeout = timeoutUs(request);
        long waitUs = timeout.orElse(config.v2().maxWait().toNanos() / 1000);
        int deadlineMs = (int) Math.min(Item.MAX_DEADLINE_MS, Math.max(1, (waitUs + 999) / 1000));
        String id = Item.newRunId();
        Item[] rows = served.rows(request, id, priority, deadlineMs, Clock.nowUs());
        String model = served.model().name();
        int capacity = served.model().queue().capacity();
        if (rows.length > capacity) {
            throw V2Refused.badRequest("the request holds " + rows.length + " rows; model '" + model
                    + "' queues at most " + capacity + " (mlpipe.models." + model + ".capacity)");
        }
        PendingRequest pendingRequest = new PendingRequest(id, served, rows, this::forget);
        pending.put(id, pendingRequest);
        String late = "the request was not answered within " + (timeout.isPresent()
                ? "its timeout of " + waitUs + " us" : "mlpipe.v2.max-wait (" + config.v2().maxWait() + ")");
        long timer = vertx.setTimer(deadlineMs, fired -> pendingRequest.timedOut(late));
        pendingRequest.outcome().whenComplete((how, error) -> {
            vertx.cancelTimer(timer);
            metrics.ended(model, how.label());
            if (how instanceof Outcome.Answered answered) {
                metrics.answered(model, System.nanoTime() - arrivedNanos);
                for (Result result : answered.results()) {
                    metrics.queued(model, result.dequeuedUs() - result.enqueuedUs());
                }
            }
        });
        pendingRequest.enter(served.whenFull() == WhenFull.BLOCK);
        return pendingRequest;
    }

    /** Triton's {@code priority}: 1 is taken first, as the run spec's levels; 0 or none is the default level. */
    private static int priority(InferRequest request) {
        OptionalLong given = request.parameters().integer(PRIORITY, "the request");
        if (given.isEmpty() || given.getAsLong() == 0) {
            return Priority.DEFAULT;
        }
        long level = given.getAsLong();
        if (level < 1 || level > Priority.LEVELS) {
            throw V2Refused.badRequest("parameter '" + PRIORITY + "' is " + level + ": it must be 1 (first) to "
                    + Priority.LEVELS + ", or 0 for the default (" + Priority.DEFAULT + ")");
        }
        return (int) level;
    }

    /** Triton's {@code timeout} in microseconds; 0 or none: {@code mlpipe.v2.max-wait}. */
    private static OptionalLong timeoutUs(InferRequest request) {
        OptionalLong given = request.parameters().integer(TIMEOUT, "the request");
        if (given.isEmpty() || given.getAsLong() == 0) {
            return OptionalLong.empty();
        }
        long us = given.getAsLong();
        if (us < 0 || us > Item.MAX_DEADLINE_MS * 1000L) {
            throw V2Refused.badRequest("parameter '" + TIMEOUT + "' is " + us + ": it must be 0 (none) to "
                    + Item.MAX_DEADLINE_MS * 1000L + " microseconds (an hour)");
        }
        return given;
    }

    private void forget(PendingRequest request) {
        pending.remove(request.id(), request);
    }

    @Override
    public boolean accept(String id, List<Result> results, int from, int to) {
        PendingRequest request = pending.get(id);
        if (request == null) {
            return false;
        }
        request.accept(results, from, to);
        return true;
    }

    @Override
    public boolean failed(Failed item) {
        PendingRequest request = pending.get(item.runId());
        if (request == null) {
            return false;
        }
        request.failed(item);
        return true;
    }

    /** A row left the queue unrun, past its request's timeout. */
    void expired(@Observes Expired item) {
        PendingRequest request = pending.get(item.runId());
        if (request != null) {
            request.expired(item);
        }
    }

    /** Whether requests are taken: by an api process (not a worker) that is not shutting down. */
    public boolean ready() {
        return config.role() != MlpipeConfig.Role.WORKER && runs.accepting();
    }

    /** Why requests are not taken, when {@link #ready()} is false. */
    public String notReadyBecause() {
        return config.role() == MlpipeConfig.Role.WORKER
                ? "this process is a worker (mlpipe.role=worker): send requests to the api process"
                : "the server is shutting down";
    }

    /** Every request not yet answered is answered that the server is going away. */
    @PreDestroy
    void stop() {
        pending.values().forEach(request -> request.end(Outcome.Refused.shuttingDown()));
    }
}
