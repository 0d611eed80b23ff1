package dev.mlpipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Where the two ports listen, over Quarkus' production defaults (every interface for both): the management interface
 * where the public port is, unless set; a worker without passwords on loopback.
 */
class ListeningAddressesTest {

    /** The hosts as a production start reads them with these settings (system properties, say). */
    private static Map<String, String> hosts(Map<String, String> set) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withDefaultValue(ListeningAddresses.HTTP_HOST, "0.0.0.0") // as Quarkus' VertxConfigBuilder does
                .withDefaultValue(ListeningAddresses.MANAGEMENT_HOST, "0.0.0.0")
                .withSources(new PropertiesConfigSource(set, "set", 400))
                .withSources(new ListeningAddresses())
                .build();
        return Map.of("http", config.getValue(ListeningAddresses.HTTP_HOST, String.class),
                "management", config.getValue(ListeningAddresses.MANAGEMENT_HOST, String.class));
    }

    @Test
    void theManagementInterfaceListensWhereThePublicPortDoes() {
        assertThat(hosts(Map.of("quarkus.http.host", "127.0.0.1"))).containsEntry("management", "127.0.0.1");
        assertThat(hosts(Map.of("mlpipe.auth.operator-password", "op-pass-9")))
                .containsEntry("http", "0.0.0.0").containsEntry("management", "0.0.0.0");
    }

    @Test
    void quarkusManagementHostSetAnywhereWins() {
        assertThat(hosts(Map.of("quarkus.http.host", "127.0.0.1", "quarkus.management.host", "0.0.0.0")))
                .containsEntry("management", "0.0.0.0");
    }

    @Test
    void aWorkerWithoutPasswordsListensOnLoopbackUnlessTold() {
        assertThat(hosts(Map.of("mlpipe.role", "worker")))
                .containsEntry("http", "127.0.0.1").containsEntry("management", "127.0.0.1");
        assertThat(hosts(Map.of("mlpipe.role", "worker", "mlpipe.auth.operator-password", "op-pass-9")))
                .as("with a password it is protected where it listens").containsEntry("management", "0.0.0.0");
        assertThat(hosts(Map.of("mlpipe.role", "worker", "mlpipe.auth.enabled", "false")))
                .as("open on purpose").containsEntry("http", "0.0.0.0");
        assertThat(hosts(Map.of("mlpipe.role", "worker", "quarkus.http.host", "0.0.0.0")))
                .as("told (Access then refuses it without a password)").containsEntry("http", "0.0.0.0");
        assertThat(hosts(Map.of("mlpipe.role", "api"))).containsEntry("http", "0.0.0.0");
    }
}
