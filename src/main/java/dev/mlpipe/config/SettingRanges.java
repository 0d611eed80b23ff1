package dev.mlpipe.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidator;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * The range of each {@code mlpipe.*} setting, checked as the configuration is read: a value outside it stops the start,
 * and Quarkus prints the problems (one line per setting, naming it and its environment variable) without a stack trace.
 * Written here rather than as Bean Validation constraints on {@link MlpipeConfig}: one constraint on a config mapping
 * makes Quarkus validate all ~140 of its own mappings at every start, a third of the start's time (BENCHMARKS.md).
 * Registered as a SmallRye Config customizer (META-INF/services), so it runs wherever the configuration is built.
 */
public final class SettingRanges implements SmallRyeConfigBuilderCustomizer, ConfigValidator {

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        builder.withValidator(this);
    }

    @Override
    public void validateMapping(Class<?> mappingClass, String prefix, Object mapping) {
        if (mapping instanceof MlpipeConfig config) {
            List<String> problems = problems(config);
            if (!problems.isEmpty()) {
                throw new ConfigValidationException(problems.stream().map(ConfigValidationException.Problem::new)
                        .toArray(ConfigValidationException.Problem[]::new));
            }
        }
    }

    /** What is out of range, one sentence per setting; empty when every value is within its range. */
    static List<String> problems(MlpipeConfig config) {
        List<String> problems = new ArrayList<>();
        config.retiredQueue().keySet().forEach(key -> problems.add(retired("mlpipe.queue." + key)));
        config.retiredModel().keySet().forEach(key -> problems.add(retired("mlpipe.model." + key)));
        java.util.Map<String, MlpipeConfig.ModelSettings> models = new java.util.TreeMap<>(config.models());
        models.put("simulated", config.simulated()); // its defaults are checked too
        if (config.simulated().backend().filter(b -> b != MlpipeConfig.ModelSettings.Backend.SIMULATED).isPresent()) {
            problems.add(setting("mlpipe.models.simulated.backend") + " is " + config.simulated().backend().get()
                    + ": the model called simulated is the simulated one; give another name to an ONNX model");
        }
        models.forEach((name, settings) -> {
            String prefix = "mlpipe.models." + name + ".";
            within(problems, prefix + "capacity", settings.capacity(), 1, PipelineSettings.MAX_CAPACITY);
            within(problems, prefix + "concurrency", settings.concurrency(), 1, PipelineSettings.MAX_CONCURRENCY);
            within(problems, prefix + "max-batch-size", settings.maxBatchSize(), 1, PipelineSettings.MAX_BATCH_SIZE);
            within(problems, prefix + "inference-ms", settings.inferenceMs(), 0, 60_000);
            within(problems, prefix + "intra-op-threads", settings.intraOpThreads(), 1, 1024);
            within(problems, prefix + "max-connections", settings.maxConnections(), 1, 1024);
            within(problems, prefix + "retries", settings.retries(), 0, 20);
            positive(problems, prefix + "timeout", settings.timeout());
            positive(problems, prefix + "retry-delay", settings.retryDelay());
            Duration batchDelay = settings.batchDelay();
            if (batchDelay.isNegative() || batchDelay.toMillis() > PipelineSettings.MAX_BATCH_DELAY_MS) {
                problems.add(setting(prefix + "batch-delay") + " is " + batchDelay.toMillis()
                        + "ms: it must be from 0 to " + PipelineSettings.MAX_BATCH_DELAY_MS / 1000 + "s");
            }
            double cost = settings.batchItemCost();
            if (!(cost >= 0 && cost <= 1)) {
                problems.add(setting(prefix + "batch-item-cost") + " is " + cost + ": it must be from 0 to 1");
            }
            if (!(settings.randomMin() <= settings.randomMax())) {
                problems.add(setting(prefix + "random-min") + " is " + settings.randomMin() + ": it must not be more "
                        + "than random-max, " + settings.randomMax());
            }
        });
        atLeastOne(problems, "mlpipe.runs.retained", config.runs().retained());
        atLeastOne(problems, "mlpipe.runs.max-active", config.runs().maxActive());
        atLeastOne(problems, "mlpipe.sweeps.max-steps", config.sweeps().maxSteps());
        atLeastOne(problems, "mlpipe.sweeps.retained", config.sweeps().retained());
        within(problems, "mlpipe.stream.history", config.stream().history(), 1, 10_000_000);
        atLeastOne(problems, "mlpipe.limits.runs-per-client", config.limits().runsPerClient());
        atLeastOne(problems, "mlpipe.limits.streams-per-client", config.limits().streamsPerClient());
        config.limits().runsPerAddress().ifPresent(runs -> atLeastOne(problems, "mlpipe.limits.runs-per-address", runs));
        config.limits().streamsPerAddress()
                .ifPresent(streams -> atLeastOne(problems, "mlpipe.limits.streams-per-address", streams));
        positive(problems, "mlpipe.limits.model-time-per-client", config.limits().modelTimePerClient());
        atLeastOne(problems, "mlpipe.auth.sign-in-failures", config.auth().signInFailures());
        positive(problems, "mlpipe.auth.sign-in-lockout", config.auth().signInLockout());
        atLeastOne(problems, "mlpipe.limits.max-connections", config.limits().maxConnections());
        atLeastOne(problems, "mlpipe.limits.connections-per-address", config.limits().connectionsPerAddress());
        positive(problems, "mlpipe.http.header-timeout", config.http().headerTimeout());
        positive(problems, "mlpipe.http.unauthenticated-idle-timeout", config.http().unauthenticatedIdleTimeout());
        positive(problems, "mlpipe.broker.outage-limit", config.broker().outageLimit());
        positive(problems, "mlpipe.broker.confirm-timeout", config.broker().confirmTimeout());
        positive(problems, "mlpipe.v2.max-wait", config.v2().maxWait());
        within(problems, "mlpipe.broker.max-deliveries", config.broker().maxDeliveries(), 1, 100);
        within(problems, "mlpipe.broker.prefetch-batches", config.broker().prefetchBatches(), 1, 64);
        within(problems, "mlpipe.broker.min-prefetch", config.broker().minPrefetch(), 1, 65_535);
        within(problems, "mlpipe.broker.items-per-message", config.broker().itemsPerMessage(), 1,
                PipelineSettings.MAX_CHUNK);
        config.broker().itemsQueue().ifPresent(removed -> problems.add(noLongerRead("mlpipe.broker.items-queue")));
        config.broker().resultsExchange()
                .ifPresent(removed -> problems.add(noLongerRead("mlpipe.broker.results-exchange")));
        if (!config.broker().namespace().matches("[A-Za-z0-9_.-]{1,100}")) {
            problems.add(setting("mlpipe.broker.namespace") + " is \"" + config.broker().namespace()
                    + "\": it must be 1 to 100 letters, digits, '.', '-' or '_' (it starts every queue's name on "
                    + "the broker)");
        }
        return problems;
    }

    /** A key of before the models: the sentence names the key that took its place. */
    private static String retired(String key) {
        String now = key.replaceFirst("^mlpipe\\.(queue|model)\\.", "mlpipe.models.simulated.");
        return setting(key) + " is retired: set " + setting(now) + " instead (each model has its own settings now)";
    }

    private static void within(List<String> problems, String key, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(setting(key) + " is " + value + ": it must be from " + min + " to " + max);
        }
    }

    private static String noLongerRead(String key) {
        return setting(key) + " is no longer read: set " + setting("mlpipe.broker.namespace") + " instead, which names "
                + "each model's queue <namespace>.items.<model> and the exchange <namespace>.results";
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(setting(key) + " is " + value.toMillis() + "ms: it must be more than 0");
        }
    }

    private static void atLeastOne(List<String> problems, String key, int value) {
        if (value < 1) {
            problems.add(setting(key) + " is " + value + ": it must be at least 1");
        }
    }

    /** The key and the environment variable that sets it, as an operator may have written either. */
    public static String setting(String key) {
        return key + " (" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")";
    }
}
