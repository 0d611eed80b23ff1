package dev.mlpipe.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.config.MlpipeConfig.ModelSettings;
import dev.mlpipe.config.MlpipeConfig.ModelSettings.Backend;
import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.config.SettingRanges;
import dev.mlpipe.model.onnx.ModelUnusable;
import dev.mlpipe.model.onnx.OnnxModel;
import dev.mlpipe.model.onnx.OnnxOptions;
import dev.mlpipe.model.onnx.OutputReading;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.ItemQueue;
import dev.mlpipe.queue.LocalQueue;
import dev.mlpipe.queue.ModelQueues;
import dev.mlpipe.observe.LogText;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * The models, by name, each loaded once at start with its own queue and batcher, as each Triton model has its own
 * scheduler: items of one model never wait behind another's. {@code simulated} is the service's beans (the queue,
 * stage, settings and activity {@code mlpipe.models.simulated.*} sets, which the broker's side shares); the shipped
 * {@code digits} and every other name under {@code mlpipe.models} are built here. A model file that cannot be
 * used stops the start with one sentence naming the setting.
 */
@Startup // a model file that cannot be used stops the start, not the first run
@Singleton
public class Models {

    public static final String SIMULATED = "simulated";
    /** The shipped ONNX model, there unless configured otherwise. */
    public static final String DIGITS = "digits";

    private static final Logger LOG = Logger.getLogger(Models.class);
    /** The longest wait between two tries to read a remote model's metadata. */
    private static final long MOST_BETWEEN_TRIES_MS = 30_000;

    /** The models that take items, in their order; replaced whole when a remote one becomes ready. */
    private volatile Map<String, LoadedModel> byName = new LinkedHashMap<>();
    /** Remote (v2) models whose server has not yet said what they take, and why not. */
    private final Map<String, Awaiting> awaiting = new ConcurrentSkipListMap<>();
    private final boolean local;
    private final Vertx vertx;

    Models(MlpipeConfig config, LocalQueue queue, InferenceStage stage, PipelineSettings settings,
            PipelineActivity activity, PipelineMetrics metrics, Event<Expired> expired, ItemQueue items, ResultSink sink,
            Vertx vertx, ModelQueues queues) {
        this.local = !config.broker().enabled();
        this.vertx = vertx;
        Map<String, LoadedModel> byName = new LinkedHashMap<>();
        metrics.watch(SIMULATED, activity);
        byName.put(SIMULATED, new LoadedModel(SIMULATED, Backend.SIMULATED, items, settings, activity,
                config.simulated().inferenceMs(), config.simulated().batchItemCost(), RANDOM_MIN, RANDOM_MAX, Optional.empty(),
                new LocalIntake(SIMULATED, queue, stage, sink, settings), stage));
        TreeSet<String> names = new TreeSet<>(config.models().keySet());
        names.add(DIGITS);
        names.remove(SIMULATED); // the service's beans, made above
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            try {
                LoadedModel model = build(name, config.models().get(name), config, metrics, expired, sink, queues);
                if (model != null) {
                    byName.put(name, model);
                }
            } catch (ModelUnusableAt unusable) {
                problems.add(unusable.getMessage());
            }
        }
        this.byName = byName;
        if (!problems.isEmpty()) {
            byName.values().forEach(model -> model.runner().close());
            awaiting.values().forEach(remote -> remote.backend().close());
            throw new ConfigurationException(String.join("; ", problems));
        }
    }

    /**
     * A remote model waiting for its server's metadata: what it becomes once read, and why it is not yet.
     *
     * @param becomes the model, given what the server said it takes and gives
     */
    private record Awaiting(V2Backend backend, java.util.function.Function<V2Backend.Remote, LoadedModel> becomes,
            AtomicReference<String> why) {
    }

    /** What the simulated model draws when a run sets no min and max. */
    private static final double RANDOM_MIN = 1;
    private static final double RANDOM_MAX = 100;

    /** @return the model, or null for a remote one, which waits for its server's metadata ({@link #awaiting}) */
    private LoadedModel build(String name, ModelSettings settings, MlpipeConfig config, PipelineMetrics metrics,
            Event<Expired> expired, ResultSink sink, ModelQueues queues) {
        PipelineActivity activity = new PipelineActivity(settings.capacity(), settings.concurrency(),
                settings.maxBatchSize());
        metrics.watch(name, activity);
        LocalQueue queue = new LocalQueue(settings.capacity(), activity, expired::fire);
        AtomicReference<LocalIntake> intake = new AtomicReference<>();
        PipelineSettings live = new PipelineSettings(new PipelineSettings.Settings(settings.capacity(),
                settings.concurrency(), settings.maxBatchSize(), settings.batchDelay().toNanos()),
                config.broker().enabled(), change -> {
                    activity.resized(change.after().capacity(), change.after().concurrency(),
                            change.after().maxBatchSize());
                    intake.get().changed(change);
                });
        ModelBackend runner;
        Optional<LoadedModel.Tensor> tensor;
        Backend backend = settings.backend().orElse(Backend.ONNX);
        if (backend == Backend.V2) {
            if (settings.url().isEmpty()) {
                throw new ModelUnusableAt(SettingRanges.setting("mlpipe.models." + name + ".url")
                        + " is not set: a model of the v2 backend needs its server's URL");
            }
            V2Backend remote;
            try {
                remote = new V2Backend(name, settings, vertx, activity, metrics.of(name), config.instanceId());
            } catch (IllegalArgumentException unusable) {
                throw new ModelUnusableAt(SettingRanges.setting("mlpipe.models." + name + ".url") + " is not usable: "
                        + unusable.getMessage());
            }
            intake.set(new LocalIntake(name, queue, remote, sink, live));
            awaiting.put(name, new Awaiting(remote, read -> new LoadedModel(name, backend, queue, live, activity, 0,
                    settings.batchItemCost(), settings.randomMin(), settings.randomMax(),
                    Optional.of(new LoadedModel.Tensor(remote.location(), read.info(), read.reading())), intake.get(),
                    remote), new AtomicReference<>("its server has not answered yet")));
            return null;
        }
        if (backend == Backend.SIMULATED) {
            runner = new InferenceStage(activity, metrics.of(name), config.instanceId(), settings.batchItemCost(),
                    sink);
            tensor = Optional.empty();
        } else {
            String location = settings.path().orElse(OnnxModel.CLASSPATH + "models/" + name + ".onnx");
            OnnxModel model;
            try {
                model = OnnxModel.open(location, new OnnxOptions(Math.max(1, settings.intraOpThreads()),
                        settings.input(), settings.output()));
            } catch (ModelUnusable unusable) {
                String key = "mlpipe.models." + name + ".path";
                throw new ModelUnusableAt(SettingRanges.setting(key)
                        + (settings.path().isPresent() ? "" : " is not set, and the default") + ": "
                        + unusable.getMessage());
            }
            OutputReading reading = OutputReading.of(model.info());
            runner = new OnnxBackend(name, model, reading, activity, metrics.of(name), config.instanceId());
            tensor = Optional.of(new LoadedModel.Tensor(location, model.info(), reading));
        }
        intake.set(new LocalIntake(name, queue, runner, sink, live));
        return new LoadedModel(name, backend, queues.of(name, queue, activity), live, activity,
                backend == Backend.SIMULATED ? settings.inferenceMs() : 0, settings.batchItemCost(),
                settings.randomMin(), settings.randomMax(), tensor, intake.get(), runner);
    }

    void start(@Observes StartupEvent started) {
        if (local) {
            byName.values().forEach(model -> model.intake().start());
        }
        awaiting.keySet().forEach(name -> connect(name, 0));
    }

    /** Reads a remote model's metadata; until its server answers, tries again, less and less often. */
    private void connect(String name, int tried) {
        Awaiting remote = awaiting.get(name);
        if (remote == null) {
            return;
        }
        remote.backend().connect().onSuccess(read -> {
            LoadedModel model = remote.becomes().apply(read);
            Map<String, LoadedModel> now = new LinkedHashMap<>(byName);
            now.put(name, model);
            byName = now;
            awaiting.remove(name);
            if (local) {
                model.intake().start();
            }
            LOG.infof("Model %s is ready: %s takes %s %s", name, remote.backend().location(),
                    read.info().input().datatype(), read.info().input().shape());
        }).onFailure(failure -> {
            String why = "its server " + remote.backend().location() + " did not say what it takes: "
                    + LogText.of(String.valueOf(failure.getMessage()), 200);
            if (!why.equals(remote.why().getAndSet(why))) {
                LOG.warnf("Model %s is not ready: %s; trying again", name, why);
            }
            vertx.setTimer(Math.min(MOST_BETWEEN_TRIES_MS, 500L << Math.min(tried, 10)), again -> connect(name, tried + 1));
        });
    }

    /** Why a model of that name takes no items yet (its server has not answered); empty if it does, or is unknown. */
    public Optional<String> notReady(String name) {
        Awaiting remote = awaiting.get(name);
        return remote == null ? Optional.empty() : Optional.of(remote.why().get());
    }

    /** Every model that takes no items yet, by name, with why. */
    public Map<String, String> allNotReady() {
        Map<String, String> why = new LinkedHashMap<>();
        awaiting.forEach((name, remote) -> why.put(name, remote.why().get()));
        return why;
    }

    /** The simulated model's settings changed live (PUT /api/pipeline): its intake follows. */
    void changed(@Observes PipelineSettings.Changed change) {
        if (local) {
            byName.get(SIMULATED).intake().changed(change);
        }
    }

    @PreDestroy
    void stop() {
        awaiting.values().forEach(remote -> remote.backend().close());
        awaiting.clear();
        for (LoadedModel model : byName.values()) {
            model.intake().stop();
            if (!model.name().equals(SIMULATED)) {
                model.runner().close(); // the simulated stage is a bean: closed as one
            }
        }
    }

    public Optional<LoadedModel> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every model, {@code simulated} first, then by name. */
    public Collection<LoadedModel> all() {
        return byName.values();
    }

    /** The names of every model, those not ready yet among them. */
    public List<String> names() {
        List<String> names = new ArrayList<>(byName.keySet());
        names.addAll(awaiting.keySet());
        return names;
    }

    /** A model that cannot be used, in a sentence that names its setting. */
    private static final class ModelUnusableAt extends RuntimeException {
        ModelUnusableAt(String message) {
            super(message, null, false, false);
        }
    }
}
