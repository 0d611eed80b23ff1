package dev.mlpipe.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
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
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.LocalQueue;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

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

    private final Map<String, LoadedModel> byName = new LinkedHashMap<>();
    private final boolean local;

    Models(MlpipeConfig config, LocalQueue queue, InferenceStage stage, PipelineSettings settings,
            PipelineActivity activity, PipelineMetrics metrics, Event<Expired> expired, Instance<ResultSink> runs) {
        this.local = !config.broker().enabled();
        ResultSink sink = new LateSink(runs);
        metrics.watch(SIMULATED, activity);
        byName.put(SIMULATED, new LoadedModel(SIMULATED, Backend.SIMULATED, queue, settings, activity,
                config.simulated().inferenceMs(), config.simulated().batchItemCost(), RANDOM_MIN, RANDOM_MAX, Optional.empty(),
                new LocalIntake(SIMULATED, queue, stage, sink, settings), stage));
        TreeSet<String> names = new TreeSet<>(config.models().keySet());
        names.add(DIGITS);
        names.remove(SIMULATED); // the service's beans, made above
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            try {
                byName.put(name, build(name, config.models().get(name), config, metrics, expired, sink));
            } catch (ModelUnusableAt unusable) {
                problems.add(unusable.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            byName.values().forEach(model -> model.runner().close());
            throw new ConfigurationException(String.join("; ", problems));
        }
    }

    /** What the simulated model draws when a run sets no min and max. */
    private static final double RANDOM_MIN = 1;
    private static final double RANDOM_MAX = 100;

    private static LoadedModel build(String name, ModelSettings settings, MlpipeConfig config, PipelineMetrics metrics,
            Event<Expired> expired, ResultSink sink) {
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
        if (backend == Backend.SIMULATED) {
            runner = new InferenceStage(activity, metrics.of(name), config.instanceId(), settings.batchItemCost());
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
        return new LoadedModel(name, backend, queue, live, activity,
                backend == Backend.SIMULATED ? settings.inferenceMs() : 0, settings.batchItemCost(),
                settings.randomMin(), settings.randomMax(), tensor, intake.get(), runner);
    }

    void start(@Observes StartupEvent started) {
        if (local) {
            byName.values().forEach(model -> model.intake().start());
        }
    }

    /** The simulated model's settings changed live (PUT /api/pipeline): its intake follows. */
    void changed(@Observes PipelineSettings.Changed change) {
        if (local) {
            byName.get(SIMULATED).intake().changed(change);
        }
    }

    @PreDestroy
    void stop() {
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

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** A model that cannot be used, in a sentence that names its setting. */
    private static final class ModelUnusableAt extends RuntimeException {
        ModelUnusableAt(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The runs, looked up on first use: they find their models here, so they cannot be given to this bean as it is
     * made.
     */
    private static final class LateSink implements ResultSink {
        private final Instance<ResultSink> runs;
        private volatile ResultSink target;

        LateSink(Instance<ResultSink> runs) {
            this.runs = runs;
        }

        private ResultSink target() {
            ResultSink now = target;
            if (now == null) {
                now = runs.get();
                target = now;
            }
            return now;
        }

        @Override
        public void accept(List<dev.mlpipe.model.Result> results) {
            target().accept(results);
        }

        @Override
        public void failed(Failed item) {
            target().failed(item);
        }
    }
}
