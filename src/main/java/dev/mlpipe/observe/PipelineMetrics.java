package dev.mlpipe.observe;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

import dev.mlpipe.config.Priority;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.CollectorRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * The meters operators scrape at {@code /q/metrics}. Names follow Micrometer's dotted style; the Prometheus registry
 * renders them as {@code mlpipe_items_total{model="digits",outcome="processed"}}, {@code
 * mlpipe_item_queue_wait_seconds_bucket} and so on (docs/operations.md lists them all). What is a model's (its queue,
 * its batches, its items and their times) carries its name in a {@code model} label: {@link ModelMeters}.
 */
@Startup // the meters exist from the start, before the first run (each model's as Models loads it)
@Singleton // called for every burst of results and every drop: no client proxy between the pipeline and this bean
public class PipelineMetrics {

    /**
     * A worker's name is what its results say, and over a broker anything may come: as a tag, and in a run's
     * {@code workers}, it is cut to this many characters, ...
     */
    public static final int MAX_WORKER_NAME = 64;
    /** ... and beyond this many distinct names in this process, the rest are counted together as {@link #OTHER}. */
    public static final int MAX_WORKERS = 64;
    public static final String OTHER = "other";
    static final String UNNAMED = "unnamed";

    private final MeterRegistry registry;
    /** Removed at shutdown: a restart in dev mode or in tests must not leave meters that read a stopped pipeline. */
    private final List<Meter> registered = new CopyOnWriteArrayList<>();
    private final LongAdder unexpected = new LongAdder();
    private final LongAdder loaderBlockedUs = new LongAdder();
    private final LongAdder loaderPacedUs = new LongAdder();
    private final Map<String, LongAdder> byWorker = new ConcurrentHashMap<>();
    private final ItemTimes itemTimes = new ItemTimes();
    private final BatchSizes batchSizes = new BatchSizes();
    private final CollectorRegistry prometheus;
    private final Map<String, ModelMeters> byModel = new ConcurrentHashMap<>();

    /**
     * @param registry the Prometheus registry itself rather than Quarkus' composite of registries: a composite timer
     *        hands every recording to each registry it holds, a cost on every item (BENCHMARKS.md, scenario 1);
     *        Prometheus is the only registry mlpipe ships
     */
    public PipelineMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        keep(FunctionCounter.builder("mlpipe.results.unexpected", unexpected, LongAdder::sum)
                .description("Results no run awaited (an unknown run, a seq not loaded, a second copy), dropped")
                .register(registry));
        keep(FunctionCounter.builder("mlpipe.loader.blocked", loaderBlockedUs, us -> us.sum() / 1e6)
                .baseUnit("seconds").description("Time loaders waited for room in the queue").register(registry));
        keep(FunctionCounter.builder("mlpipe.loader.paced", loaderPacedUs, us -> us.sum() / 1e6)
                .baseUnit("seconds").description("Time loaders waited for their run's slowest lossless client")
                .register(registry));
        this.prometheus = registry.getPrometheusRegistry();
        prometheus.register(itemTimes);
        prometheus.register(batchSizes);
    }

    /**
     * The meters of the model called {@code model}: its items by outcome, their times and its batches, each series
     * labelled {@code model}. Made at the first call for a name; the names are the configured models', so the series
     * are bounded.
     */
    public ModelMeters of(String model) {
        ModelMeters meters = byModel.get(model);
        return meters != null ? meters : byModel.computeIfAbsent(model, ModelMeters::new);
    }

    /**
     * The gauges of a model's queue and slots, read from its activity: {@code mlpipe_queue_depth{model,priority}},
     * {@code mlpipe_queue_capacity{model}} and {@code mlpipe_model_idle_seconds_total{model}}. Once per model, at
     * start.
     */
    public void watch(String model, PipelineActivity activity) {
        of(model);
        keep(FunctionCounter.builder("mlpipe.model.idle", activity, PipelineActivity::modelIdleSeconds)
                .baseUnit("seconds").tag("model", model)
                .description("Time the model waited for data (a slot free, the queue empty), its slots averaged")
                .register(registry));
        for (int level = 1; level <= Priority.LEVELS; level++) {
            int priority = level;
            keep(Gauge.builder("mlpipe.queue.depth", activity, a -> a.laneDepth(priority)).tag("model", model)
                    .tag("priority", Integer.toString(priority))
                    .description("Items in the queue now, by priority (their sum: all of them)").register(registry));
        }
        keep(Gauge.builder("mlpipe.queue.capacity", activity, PipelineActivity::capacity).tag("model", model)
                .description("Places in the queue").register(registry));
    }

    /** Registers a gauge read from wherever its state lives. */
    public void gauge(String name, String description, Supplier<Number> value) {
        keep(Gauge.builder(name, value).description(description).register(registry));
    }

    @PreDestroy
    void unregister() {
        registered.forEach(registry::remove);
        prometheus.unregister(itemTimes);
        prometheus.unregister(batchSizes);
    }

    /**
     * The name a worker is known by here, bounded in length and in number, so that results from a broker, whatever
     * they claim, cannot grow the metrics (a series per name) or a run without end. @return {@code claimed} itself
     * when it is within the bounds
     */
    public String workerName(String claimed) {
        String name = claimed == null ? UNNAMED : cut(claimed);
        if (byWorker.containsKey(name)) {
            return name;
        }
        synchronized (byWorker) {
            if (byWorker.containsKey(name)) {
                return name;
            }
            if (byWorker.size() >= MAX_WORKERS) {
                return OTHER;
            }
            byWorker.put(name, workerCounter(name));
            return name;
        }
    }

    private static String cut(String name) {
        if (name.length() <= MAX_WORKER_NAME) {
            return name;
        }
        int end = Character.isHighSurrogate(name.charAt(MAX_WORKER_NAME - 1)) ? MAX_WORKER_NAME - 1 : MAX_WORKER_NAME;
        return name.substring(0, end);
    }

    /**
     * One model's meters ({@link #of}): what became of its items, their times, its batches. Counted in adders and
     * read at each scrape: an adder costs a pipeline far less per item than a registry's counter.
     */
    public final class ModelMeters {
        private final String model;
        private final LongAdder processed = new LongAdder();
        private final LongAdder dropped = new LongAdder();
        private final LongAdder cancelled = new LongAdder();
        private final LongAdder expired = new LongAdder();
        private final LongAdder failed = new LongAdder();
        private final LongAdder rejected = new LongAdder();
        private final ItemTimes.Series times;
        private final BatchSizes.Series batches;

        private ModelMeters(String model) {
            this.model = model;
            this.times = itemTimes.of(model);
            this.batches = batchSizes.of(model);
            outcome("processed", processed);
            outcome("dropped", dropped);
            outcome("cancelled", cancelled);
            outcome("expired", expired); // waited in the queue past its run's deadline, not run
            outcome("failed", failed); // taken for inference, no result: the inference failed, or its delivery did
            outcome("rejected", rejected); // on a worker: messages on the items queue that were not items
        }

        public String model() {
            return model;
        }

        /**
         * A counter of this model's processed items for one run, which it adds here once per burst of results.
         *
         * @param perWorker told how many items a worker processed, at each {@link Tally#flush} and whenever the
         *        results' worker changes
         */
        public Tally tally(ObjLongConsumer<String> perWorker) {
            return new Tally(this, perWorker);
        }

        /** The model ran {@code items} as one inference. */
        public void batch(int items) {
            batches.record(items);
        }

        public void dropped() {
            dropped.increment();
        }

        public void expired() {
            expired.increment();
        }

        public void failed() {
            failed.increment();
        }

        public void rejected() {
            rejected.increment();
        }

        public void cancelled(long items) {
            cancelled.add(items);
        }

        private void outcome(String outcome, LongAdder count) {
            keep(FunctionCounter.builder("mlpipe.items", count, LongAdder::sum).tag("model", model)
                    .tag("outcome", outcome).description("Items by what became of them").register(registry));
        }
    }

    /**
     * Items of one model processed, counted by one run under its lock and added to the meters every run shares at
     * {@link #flush}: an item costs a few array increments here rather than eight atomic adds there (BENCHMARKS.md,
     * batching). Not thread-safe: its run's lock guards it.
     */
    public final class Tally {
        private final ModelMeters model;
        private final ObjLongConsumer<String> perWorker;
        private final ItemTimes.Tally times = new ItemTimes.Tally();
        private long items;
        // the worker of the items counted since its last change: results come a batch, so a worker, at a time
        private String claimed;
        private String worker;
        private long byWorker;

        private Tally(ModelMeters model, ObjLongConsumer<String> perWorker) {
            this.model = model;
            this.perWorker = perWorker;
        }

        /**
         * Counts one item, its times in microseconds, processed by the worker its result names.
         *
         * @return the name that worker is counted under ({@link #workerName})
         */
        public String processed(long queueWaitUs, long inferenceUs, long totalUs, String claimedWorker) {
            times.record(queueWaitUs, inferenceUs, totalUs);
            return counted(claimedWorker);
        }

        /**
         * Counts one item of a batch, as {@link #processed(long, long, long, String)} but for its inference time, which
         * its batch counts once for all its items ({@link #inferred}).
         */
        public String processed(long queueWaitUs, long totalUs, String claimedWorker) {
            times.record(queueWaitUs, totalUs);
            return counted(claimedWorker);
        }

        /** {@code items} items counted by {@link #processed(long, long, String)} ran as one batch in {@code inferenceUs}. */
        public void inferred(long inferenceUs, long items) {
            times.inference(inferenceUs, items);
        }

        private String counted(String claimedWorker) {
            if (worker == null || !Objects.equals(claimedWorker, claimed)) {
                flushWorker();
                claimed = claimedWorker;
                worker = workerName(claimedWorker);
            }
            items++;
            byWorker++;
            return worker;
        }

        /** Adds what was counted since the last flush to the meters, and tells the run its workers' counts. */
        public void flush() {
            flushWorker();
            if (items > 0) {
                model.processed.add(items);
                items = 0;
                model.times.add(times);
            }
        }

        private void flushWorker() {
            if (byWorker > 0) {
                PipelineMetrics.this.byWorker.computeIfAbsent(worker, PipelineMetrics.this::workerCounter).add(byWorker);
                perWorker.accept(worker, byWorker);
                byWorker = 0;
            }
        }
    }

    public void unexpectedResult() {
        unexpected.increment();
    }

    public void unexpectedResults(long results) {
        unexpected.add(results);
    }

    public void loaderPaced(long micros) {
        loaderPacedUs.add(Math.max(0, micros));
    }

    public void loaderBlocked(long micros) {
        loaderBlockedUs.add(Math.max(0, micros));
    }

    private LongAdder workerCounter(String worker) {
        LongAdder count = new LongAdder();
        keep(FunctionCounter.builder("mlpipe.worker.items", count, LongAdder::sum).tag("worker", worker)
                .description("Items processed, by the worker that processed them").register(registry));
        return count;
    }

    private <M extends Meter> M keep(M meter) {
        registered.add(meter);
        return meter;
    }
}
