package dev.mlpipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The batching settings as the service reads them at start: the defaults are today's behaviour, and a value out of its
 * range stops the service with a message naming the key and its range (the same mapping and check Quarkus runs).
 */
class BatchSettingsTest {

    private static MlpipeConfig read(Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(keys);
        all.put("mlpipe.instance-id", "test");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(MlpipeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' own, as at start
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withValidator(new SettingRanges())
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .build();
        return config.getConfigMapping(MlpipeConfig.class);
    }

    @Test
    void byDefaultEachItemIsABatchOfItsOwnTakenAtOnce() {
        MlpipeConfig.ModelSettings model = read(Map.of()).simulated();

        assertThat(model.maxBatchSize()).isEqualTo(1);
        assertThat(model.batchDelay()).isEqualTo(Duration.ZERO);
        assertThat(model.batchItemCost()).isEqualTo(0.05);
    }

    @Test
    void valuesWithinTheirRangesAreTaken() {
        MlpipeConfig.ModelSettings model = read(Map.of("mlpipe.models.simulated.max-batch-size", "4096",
                "mlpipe.models.simulated.batch-delay", "60s", "mlpipe.models.simulated.batch-item-cost", "1")).simulated();

        assertThat(model.maxBatchSize()).isEqualTo(4096);
        assertThat(model.batchDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(model.batchItemCost()).isEqualTo(1.0);
    }

    @Test
    void aModelsKeyIsSetByItsEnvironmentVariableToo() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(MlpipeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(Map.of("mlpipe.instance-id", "test"), "test", 500))
                .withSources(new io.smallrye.config.EnvConfigSource(Map.of("MLPIPE_MODELS_SIMULATED_CAPACITY", "64",
                        "MLPIPE_MODELS_DIGITS_MAX_BATCH_SIZE", "32"), 300))
                .build();
        MlpipeConfig mapped = config.getConfigMapping(MlpipeConfig.class);

        assertThat(mapped.simulated().capacity()).isEqualTo(64);
        assertThat(mapped.models().get("digits").maxBatchSize()).isEqualTo(32);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mlpipe.models.simulated.max-batch-size | 0        | must be from 1 to 4096",
            "mlpipe.models.simulated.max-batch-size | -5       | must be from 1 to 4096",
            "mlpipe.models.simulated.max-batch-size | 4097     | must be from 1 to 4096",
            "mlpipe.models.simulated.max-batch-size | many     | many",
            "mlpipe.models.simulated.batch-delay    | -1ms     | must be from 0 to 60s",
            "mlpipe.models.simulated.batch-delay    | 61s      | must be from 0 to 60s",
            "mlpipe.models.simulated.batch-delay    | soon     | soon",
            "mlpipe.models.simulated.batch-item-cost | -0.1    | must be from 0 to 1",
            "mlpipe.models.simulated.batch-item-cost | 1.01    | must be from 0 to 1",
            "mlpipe.models.simulated.batch-item-cost | cheap   | cheap",
            "mlpipe.models.simulated.capacity       | 0        | MLPIPE_MODELS_SIMULATED_CAPACITY) is 0: it must be from 1 to 100000",
            "mlpipe.stream.history       | 10000001 | must be from 1 to 10000000",
            "mlpipe.limits.runs-per-client | 0      | must be at least 1",
            "mlpipe.broker.namespace     | a/b      | must be 1 to 100 letters, digits",
            "mlpipe.broker.prefetch-batches | 0     | must be from 1 to 64",
            "mlpipe.broker.items-per-message | 0    | MLPIPE_BROKER_ITEMS_PER_MESSAGE) is 0: it must be from 1 to 64",
            "mlpipe.broker.items-per-message | 65   | MLPIPE_BROKER_ITEMS_PER_MESSAGE) is 65: it must be from 1 to 64",
            "mlpipe.broker.outage-limit  | 0s       | must be more than 0",
            "mlpipe.broker.items-queue   | q.items  | is no longer read: set mlpipe.broker.namespace",
            "mlpipe.broker.results-exchange | q.results | is no longer read: set mlpipe.broker.namespace",
            "mlpipe.models.digits.capacity | 0      | must be from 1 to 100000",
            "mlpipe.queue.capacity       | 64       | retired: set mlpipe.models.simulated.capacity",
            "mlpipe.model.inference-ms   | 5        | retired: set mlpipe.models.simulated.inference-ms" })
    void aValueOutOfItsRangeStopsTheStartNamingTheKey(String key, String value, String rule) {
        assertThatThrownBy(() -> read(Map.of(key, value)))
                .hasMessageContaining(key)
                .hasMessageContaining(rule);
    }
}
