package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.ConnectionFactory;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The topology connects with the RabbitMQ connector's settings, not settings of its own: what an operator sets for the
 * channels (virtual host, TLS, addresses, credentials) reaches the queue declarations too; and without credentials a
 * broker process does not start.
 */
class BrokerConnectionTest {

    private static BrokerConnection connection(Map<String, String> keys) {
        return new BrokerConnection(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(new HashMap<>(keys), "test", 500)).build());
    }

    private static final Map<String, String> CREDENTIALS = Map.of("rabbitmq-username", "mlpipe",
            "rabbitmq-password", "s3cret");

    @Test
    void theConnectorsKeysReachTheTopologysConnection() {
        Map<String, String> keys = new HashMap<>(CREDENTIALS);
        keys.putAll(Map.of("rabbitmq-host", "broker.example", "rabbitmq-port", "5671",
                "rabbitmq-virtual-host", "mlpipe-prod", "rabbitmq-ssl", "true", "rabbitmq-trust-all", "true"));
        BrokerConnection broker = connection(keys);
        ConnectionFactory factory = broker.factory();

        assertThat(broker.addresses()).containsExactly(new Address("broker.example", 5671));
        assertThat(factory.getVirtualHost()).isEqualTo("mlpipe-prod");
        assertThat(factory.getUsername()).isEqualTo("mlpipe");
        assertThat(factory.getPassword()).isEqualTo("s3cret");
        assertThat(factory.isSSL()).as("TLS, as the channels have it").isTrue();
        assertThat(broker.where()).contains("broker.example:5671", "mlpipe-prod");
    }

    @Test
    void connectorWideKeysAndAddressesApplyAsTheyDoForTheChannels() {
        Map<String, String> keys = new HashMap<>(CREDENTIALS);
        keys.put("rabbitmq-addresses", "rabbit-1:5672,rabbit-2:5673");
        keys.put("rabbitmq-virtual-host", "by-alias");
        keys.put(BrokerConnection.CONNECTOR_KEYS + "virtual-host", "connector-wide"); // wins, as for a channel
        keys.put(BrokerConnection.CONNECTOR_KEYS + "requested-heartbeat", "7");
        BrokerConnection broker = connection(keys);
        ConnectionFactory factory = broker.factory();

        assertThat(broker.addresses()).containsExactly(new Address("rabbit-1", 5672), new Address("rabbit-2", 5673));
        assertThat(factory.getVirtualHost()).isEqualTo("connector-wide");
        assertThat(factory.getRequestedHeartbeat()).isEqualTo(7);
    }

    @Test
    void withoutCredentialsABrokerProcessRefusesToStartNamingTheSettings() {
        for (Map<String, String> keys : List.of(Map.<String, String> of(), Map.of("rabbitmq-username", "mlpipe"),
                Map.of("rabbitmq-password", "s3cret"), Map.of("rabbitmq-username", " ", "rabbitmq-password", "x"))) {
            assertThatThrownBy(() -> connection(keys).factory()).as("with %s", keys.keySet())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContainingAll("RABBITMQ_USERNAME", "RABBITMQ_PASSWORD", "rabbitmq-username");
        }
    }

    @Test
    void aTrustStoreThatCannotBeReadStopsTheStartSayingWhich() {
        Map<String, String> keys = new HashMap<>(CREDENTIALS);
        keys.putAll(Map.of("rabbitmq-ssl", "true", "rabbitmq-trust-store-path", "/nonexistent/trust.jks"));
        assertThatThrownBy(() -> connection(keys).factory()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("/nonexistent/trust.jks");
    }
}
