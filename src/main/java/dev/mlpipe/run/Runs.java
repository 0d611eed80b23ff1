package dev.mlpipe.run;

import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.model.Result;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.queue.ItemQueue;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** Starts runs, wires each one's loader to the queue, and keeps runs until they are evicted. */
@Singleton // called for every item: no client proxy between the pipeline and this bean
public class Runs {

    public static final String ID_PATTERN = "[0-9a-f]{12}";
    /** What a malformed run id breaks, as a problem names it. */
    public static final String ID_RULE = "must be a run id: 12 lowercase hexadecimal digits";

    private final ItemQueue queue;
    private final MlpipeConfig config;
    private final ObjectMapper mapper;
    private final Run.Services services;
    private final AtomicInteger subscribers = new AtomicInteger();
    private final ConcurrentHashMap<String, Run> byId = new ConcurrentHashMap<>();
    /** Finished runs, oldest first: the eviction order. */
    private final ConcurrentLinkedDeque<Run> finished = new ConcurrentLinkedDeque<>();
    private final AtomicLong numbers = new AtomicLong();
    private volatile boolean accepting = true;
    /** Runs started and not yet ended: what mlpipe.runs.max-active bounds. */
    private final AtomicInteger running = new AtomicInteger();
    /**
     * Loaders start and pause here. Not a Quarkus worker: those carry the Vert.x context of the request that started
     * the run, and an item sent with a context is handed to that context's event loop, one thread hop per item.
     */
    private final ScheduledExecutorService loaderThreads = Executors.newScheduledThreadPool(2,
            new DefaultThreadFactory("mlpipe-loader", true));

    Runs(ItemQueue queue, MlpipeConfig config, ObjectMapper mapper, PipelineActivity activity,
            PipelineMetrics metrics) {
        this.queue = queue;
        this.config = config;
        this.mapper = mapper;
        this.services = new Run.Services(activity, metrics, config.stream().history(), subscribers, this::json,
                this::ended);
        metrics.gauge("mlpipe.runs.active", "Runs whose loader or model is still at work", this::active);
        metrics.gauge("mlpipe.stream.subscribers", "Clients reading an event stream now", subscribers::get);
    }

    public Run start(RunSpec requested) {
        if (config.role() == MlpipeConfig.Role.WORKER) {
            throw new WebApplicationException("this process is a worker (mlpipe.role=worker): it does inference only; "
                    + "start runs on an api process", 409);
        }
        if (!accepting) {
            throw new ServiceUnavailableException("the service is shutting down and starts no new runs");
        }
        RunSpec spec = requested.resolve(config.model().inferenceMs());
        if (running.incrementAndGet() > config.runs().maxActive()) {
            running.decrementAndGet();
            throw new WebApplicationException("already " + config.runs().maxActive() + " runs active "
                    + "(mlpipe.runs.max-active); try again when one has ended",
                    Response.status(429).header("Retry-After", "1").build());
        }
        Run run = new Run(newId(), numbers.incrementAndGet(), spec, services);
        byId.put(run.id(), run);
        Loading loading = new Loading(run, queue, loaderThreads);
        run.attach(loading);
        loading.start();
        return run;
    }

    public Optional<Run> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<Run> newestFirst() {
        return byId.values().stream().sorted(Comparator.comparingLong(Run::number).reversed()).toList();
    }

    public long active() {
        return running.get();
    }

    /** Whether a new run would start; readiness reports it. */
    public boolean accepting() {
        return accepting;
    }

    /** The service is shutting down: no new runs, and the running ones load nothing more. */
    void stopLoading() {
        accepting = false;
        byId.values().forEach(Run::stopLoading);
    }

    /** Items of running runs that are queued or in inference: the results still to come. */
    long inFlight() {
        return byId.values().stream().mapToLong(Run::inFlight).sum();
    }

    /** Ends every run still going as interrupted; their streams get their end event. */
    void interruptAll() {
        byId.values().forEach(Run::interrupt);
    }

    /** Ends every run still going as failed, with the reason. */
    public void failAll(String reason) {
        byId.values().forEach(run -> run.fail(reason));
    }

    /** Clients reading any run's event stream now. */
    public int subscribers() {
        return subscribers.get();
    }

    /** Sends each active run's live view to its clients. */
    public void publishStats() {
        byId.values().forEach(Run::publishStats);
    }

    /** @return whether the run is known here and has ended; the model discards such a run's queued items */
    public boolean isFinished(String runId) {
        Run run = byId.get(runId);
        return run != null && run.isFinished();
    }

    public void record(Result result) {
        Run run = byId.get(result.runId());
        if (run != null) {
            run.record(result);
        }
    }

    @PreDestroy
    void stop() {
        loaderThreads.shutdownNow();
    }

    private void ended(Run run) {
        running.decrementAndGet();
        finished.addLast(run);
        while (finished.size() > config.runs().retained()) {
            Run oldest = finished.pollFirst();
            if (oldest != null) {
                byId.remove(oldest.id());
            }
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    private static String newId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
    }
}
