package dev.mlpipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Each {@code mlpipe.*} default is written once, as the {@code @WithDefault} of {@link MlpipeConfig}:
 * application.properties sets a key only for a profile, and what it reads from the mapping (the namespace the broker's
 * channels are named in) comes from the mapping's defaults.
 */
class ConfigDefaultsTest {

    private static final URL PROPERTIES = ConfigDefaultsTest.class.getResource("/application.properties");

    /** The mapping over application.properties, as the service reads it with {@code profile}, and {@code set} above. */
    private static SmallRyeConfig read(String profile, Map<String, String> set) throws IOException {
        Map<String, String> given = new HashMap<>(set);
        given.put("mlpipe.instance-id", "test");
        return new SmallRyeConfigBuilder().withProfile(profile)
                .withMapping(MlpipeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' own, as at start
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(PROPERTIES, 250), new PropertiesConfigSource(given, "set", 500))
                .build();
    }

    @Test
    void applicationPropertiesSetsNoMlpipeDefaultOfItsOwn() throws IOException {
        SmallRyeConfig config = read("prod", Map.of());
        PropertiesConfigSource file = new PropertiesConfigSource(PROPERTIES, 250);

        assertThat(file.getPropertyNames()).as("keys with no profile that MlpipeConfig maps")
                .filteredOn(key -> key.startsWith("mlpipe.")).isEmpty();
        assertThat(config.getConfigMapping(MlpipeConfig.class).simulated().capacity()).isEqualTo(10);
    }

    @Test
    void theBrokerChannelsReadTheNamespaceFromItsDefault() throws IOException {
        assertThat(read("broker", Map.of()).getValue("mp.messaging.incoming.results-in.queue", String.class))
                .isEqualTo("mlpipe.results.test");
        assertThat(read("broker", Map.of("mlpipe.broker.namespace", "blue"))
                .getValue("mp.messaging.outgoing.results-out.exchange", String.class)).isEqualTo("blue.results");
    }
}
