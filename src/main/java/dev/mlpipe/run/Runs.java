package dev.mlpipe.run;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.broker.BrokerWatch;
import dev.mlpipe.load.Datasets;
import dev.mlpipe.load.Loader;
import dev.mlpipe.load.Values;
import dev.mlpipe.model.LoadedModel;
import dev.mlpipe.model.Models;
import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBlock;
import dev.mlpipe.model.ResultOwner;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.ItemQueue;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Starts runs, gives each its loader and its history, routes results to them, and keeps runs until they are evicted. */
@Singleton // called for every batch of results: no client proxy between the pipeline and this bean
public class Runs implements ResultOwner {

    public static final String ID_PATTERN = Item.RUN_ID_PATTERN;
    /** What a malformed run id breaks, as a problem names it. */
    public static final String ID_RULE = Item.RUN_ID_RULE;


    private final Models models;
    private final Datasets datasets;
    private final MlpipeConfig config;
    private final JsonText json;
    private final PipelineMetrics metrics;
    private final HistoryBudget budget;
    private final ClientLimits limits;
    private final AtomicInteger readers = new AtomicInteger();
    private final ConcurrentHashMap<String, Run> byId = new ConcurrentHashMap<>();
    /** Finished runs, oldest first: the eviction order. */
    private final ConcurrentLinkedDeque<Run> finished = new ConcurrentLinkedDeque<>();
    /**
     * Finished runs a sweep started, by sweep: kept with their sweep rather than counted against
     * {@code mlpipe.runs.retained}, so that a sweep of many steps does not evict every other run; they go when the sweep
     * is forgotten ({@link #forgetSweep}).
     */
    private final Map<String, ConcurrentLinkedQueue<Run>> finishedBySweep = new ConcurrentHashMap<>();
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

    Runs(Models models, MlpipeConfig config, JsonText json, PipelineMetrics metrics, HistoryBudget budget,
            ClientLimits limits) {
        this.models = models;
        this.datasets = new Datasets(config.datasets().dir(), config.datasets().replayMemory().asLongValue());
        this.config = config;
        this.json = json;
        this.metrics = metrics;
        this.budget = budget;
        this.limits = limits;
        metrics.gauge("mlpipe.runs.active", "Runs whose loader or model is still at work", this::active);
        metrics.gauge("mlpipe.stream.subscribers", "Clients reading an event stream now", readers::get);
        metrics.gauge("mlpipe.stream.history.bytes", "Memory the kept results of all runs take", budget::used);
    }

    /** Where runs find their datasets by name, with the memory they share to replay them. */
    public Datasets datasets() {
        return datasets;
    }

    public Run start(RunRequest request, Client client) {
        return start(request, client, run -> {
        });
    }

    /**
     * Starts a run for {@code client}, whose active runs it counts until the run ends. @param beforeLoading runs once
     * the run exists and before its loader draws a value: a client that opens a reader here misses nothing
     *
     * @throws RunRefused when the run cannot start
     */
    public Run start(RunRequest request, Client client, Consumer<Run> beforeLoading) {
        return start(request, client, null, beforeLoading);
    }

    /** Starts a run of sweep {@code sweepId}'s, which its view names. */
    public Run startInSweep(RunRequest request, Client client, String sweepId) {
        return start(request, client, sweepId, run -> {
        });
    }

    private Run start(RunRequest request, Client client, String sweepId, Consumer<Run> beforeLoading) {
        if (config.role() == MlpipeConfig.Role.WORKER) {
            throw new RunRefused.NotAnApiProcess();
        }
        if (!accepting) {
            throw new RunRefused.ShuttingDown();
        }
        LoadedModel model = model(request.model());
        RunSpec spec = request.resolve(model, datasets, config.runs().maxDuration());
        ItemQueue runQueue = model.queue();
        PipelineActivity runActivity = model.activity();
        ClientLimits.Slot slot = limits.takeRun(client, spec.worstCase());
        if (running.incrementAndGet() > config.runs().maxActive()) {
            running.decrementAndGet();
            slot.release();
            throw new RunRefused.TooManyActiveRuns(config.runs().maxActive());
        }
        String id = Item.newRunId();
        History history = new History(id, config.stream().history(), budget, json, readers,
                model.tensor().map(LoadedModel.Tensor::keptBytes).orElse(0));
        Run run = new Run(id, numbers.incrementAndGet(), spec, RunLabel.of(request, sweepId), runActivity, metrics,
                history, ended -> {
            slot.release(); // completed, cancelled, failed or interrupted: the client may start another
            ended(ended, model);
        });
        byId.put(id, run);
        Loader loader = new Loader(run, new Values(spec.source(), spec.sentinel(), spec.maxItems()), runQueue,
                spec.overflow(), spec.loadIntervalMs(), loaderThreads);
        run.attach(loader);
        beforeLoading.accept(run);
        loader.start();
        return run;
    }

    /** The model a run or a sweep names, the simulated one when it names none; one that cannot run is refused. */
    public LoadedModel model(String name) {
        String wanted = name == null ? Models.SIMULATED : name;
        Optional<String> notReady = models.notReady(wanted);
        if (notReady.isPresent()) {
            throw new RunRefused.ModelNotReady(wanted, notReady.get());
        }
        LoadedModel model = models.find(wanted).orElseThrow(() -> new RunRefused.InvalidField("model",
                "names no model: the models are " + String.join(", ", models.names())));
        if (config.broker().enabled() && model.backend() == MlpipeConfig.ModelSettings.Backend.V2) {
            throw new RunRefused.InvalidField("model", "must not be a model of the v2 backend with a broker "
                    + "(mlpipe.broker.enabled): its own server serves it; run it in one process");
        }
        return model;
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

    /** Clients reading any run's event stream now. */
    public int subscribers() {
        return readers.get();
    }

    /** Results of one of its runs came back from the model. */
    @Override
    public boolean accept(String id, List<Result> results, int from, int to) {
        Run run = byId.get(id);
        if (run == null) {
            return false; // a v2 request's, or a run this service does not know (or no longer keeps)
        }
        run.record(results, from, to);
        return true;
    }

    /** A run this service keeps that has ended; a run it does not know (a worker's, a v2 request's) has not. */
    @Override
    public boolean ended(String id) {
        Run run = byId.get(id);
        return run != null && run.isFinished();
    }

    /** A tensor batch's results of one of its runs, as a block. */
    @Override
    public boolean accept(String id, ResultBlock block, int from, int to) {
        Run run = byId.get(id);
        if (run == null) {
            return false;
        }
        run.record(block, from, to);
        return true;
    }

    /** An item left the queue unrun, its deadline passed: its run accounts for it. */
    void expired(@Observes Expired item) {
        Run run = byId.get(item.item().runId());
        if (run != null) {
            run.expired(item);
        }
    }

    /** An item gave no result: its run accounts for it. */
    @Override
    public boolean failed(Failed item) {
        Run run = byId.get(item.runId());
        if (run == null) {
            return false;
        }
        run.failed(item);
        return true;
    }

    /** A stats interval ended: each active run adds a point to its series and sends its live view to its readers. */
    public void tick() {
        byId.values().forEach(Run::tick);
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

    /** Ends every run still going as interrupted; their readers get their end event. */
    void interruptAll() {
        byId.values().forEach(Run::interrupt);
    }

    /** The server ends every event stream now, for {@code reason}: each client is told so before its stream ends. */
    void cutStreams(String reason) {
        byId.values().forEach(run -> run.history().cutAll(reason));
    }

    /** The broker has been away too long: the runs still going end failed, as their results may never come. */
    void brokerAway(@Observes BrokerWatch.Outage outage) {
        String reason = "the broker has been unreachable for " + outage.away().toSeconds() + " s, the limit set by "
                + "mlpipe.broker.outage-limit: the results of this run may never arrive";
        byId.values().forEach(run -> run.fail(reason));
    }

    @PreDestroy
    void stop() {
        loaderThreads.shutdownNow();
    }

    private void ended(Run run, LoadedModel itsModel) {
        itsModel.runEnded(run.id());
        running.decrementAndGet();
        if (run.sweepId() != null) {
            finishedBySweep.computeIfAbsent(run.sweepId(), sweep -> new ConcurrentLinkedQueue<>()).add(run);
            return;
        }
        finished.addLast(run);
        while (finished.size() > config.runs().retained()) {
            Run oldest = finished.pollFirst();
            if (oldest != null) {
                evict(oldest);
            }
        }
    }

    /** A sweep is forgotten: the finished runs it started go with it. */
    public void forgetSweep(String sweepId) {
        ConcurrentLinkedQueue<Run> ofSweep = finishedBySweep.remove(sweepId);
        if (ofSweep != null) {
            ofSweep.forEach(this::evict);
        }
    }

    private void evict(Run run) {
        byId.remove(run.id());
        run.history().forget();
        run.history().cutAll("evicted");
    }
}
