package dev.mlpipe.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.TrustEverythingTrustManager;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQConnectorCommonConfiguration;

/**
 * The connection {@link BrokerTopology} makes, with the RabbitMQ connector's own settings: the connector-wide
 * {@code mp.messaging.connector.smallrye-rabbitmq.*} keys and their {@code rabbitmq-*} aliases (host, port, addresses,
 * username, password, virtual-host, ssl, trust-all, trust-store-path, trust-store-password, timeouts), read through
 * SmallRye's public {@link RabbitMQConnectorCommonConfiguration} so that names and defaults are the connector's. An
 * adapter because the connector makes its client options in a package-private helper and hands out no connection, and
 * the topology needs a plain AMQP channel (passive declares, consumer counts) that its Vert.x client does not offer.
 * <p>
 * Credentials have no default here, unlike the connector's guest/guest: a process without them refuses to start.
 */
final class BrokerConnection {

    static final String CONNECTOR_KEYS = "mp.messaging.connector.smallrye-rabbitmq.";
    /** The attributes SmallRye also reads as {@code rabbitmq-<attribute>}. */
    private static final Set<String> ALIASED = Set.of("host", "port", "addresses", "username", "password",
            "virtual-host", "ssl", "trust-all", "trust-store-path", "trust-store-password", "credentials-provider-name");

    private final ConnectorWide keys;
    private final RabbitMQConnectorCommonConfiguration settings;

    BrokerConnection(Config config) {
        this.keys = new ConnectorWide(config);
        this.settings = new RabbitMQConnectorCommonConfiguration(keys);
    }

    /** Where the connector connects: {@code rabbitmq-addresses}, or host and port. */
    List<Address> addresses() {
        return settings.getAddresses().map(a -> Arrays.asList(Address.parseAddresses(a)))
                .orElseGet(() -> List.of(new Address(settings.getHost(), settings.getPort())));
    }

    /** For messages: the addresses and the virtual host. */
    String where() {
        return addresses() + " (virtual host " + settings.getVirtualHost() + ")";
    }

    /**
     * @throws ConfigurationException when the credentials are missing, or a TLS trust store cannot be read: the process
     *         must not start with what it would otherwise silently use (Quarkus prints the message alone, no stack trace)
     */
    ConnectionFactory factory() {
        if (keys.getOptionalValue("credentials-provider-name", String.class).isPresent()) {
            throw new ConfigurationException("rabbitmq-credentials-provider-name is not supported by mlpipe: set "
                    + "RABBITMQ_USERNAME and RABBITMQ_PASSWORD (or rabbitmq-username and rabbitmq-password)");
        }
        // read from our keys, not settings: the connector falls back to guest/guest, which a broker must never get
        Optional<String> username = keys.getOptionalValue("username", String.class).filter(s -> !s.isBlank());
        Optional<String> password = keys.getOptionalValue("password", String.class).filter(s -> !s.isEmpty());
        if (username.isEmpty() || password.isEmpty()) {
            throw new ConfigurationException("RabbitMQ credentials are not set: set RABBITMQ_USERNAME and "
                    + "RABBITMQ_PASSWORD (or rabbitmq-username and rabbitmq-password). Only the dev and test profiles "
                    + "default to guest/guest (in dev mode: -Dquarkus.profile=dev,broker)");
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername(username.get());
        factory.setPassword(password.get());
        factory.setVirtualHost(settings.getVirtualHost());
        factory.setConnectionTimeout(settings.getConnectionTimeout());
        factory.setHandshakeTimeout(settings.getHandshakeTimeout());
        factory.setRequestedHeartbeat(settings.getRequestedHeartbeat());
        factory.setRequestedChannelMax(settings.getRequestedChannelMax());
        if (settings.getSsl()) {
            factory.useSslProtocol(sslContext());
            if (!settings.getTrustAll() && !"NONE".equals(settings.getSslHostnameVerificationAlgorithm())) {
                factory.enableHostnameVerification();
            }
        }
        return factory;
    }

    Connection connect(ConnectionFactory factory, String name) throws IOException, TimeoutException {
        return factory.newConnection(addresses(), name);
    }

    /** Trust as the connector's client has it: everything, a JKS trust store, or the JVM's default. */
    private SSLContext sslContext() {
        try {
            TrustManager[] trust = null;
            if (settings.getTrustAll()) {
                trust = new TrustManager[] { new TrustEverythingTrustManager() };
            } else if (settings.getTrustStorePath().isPresent()) {
                KeyStore store = KeyStore.getInstance("JKS");
                char[] secret = settings.getTrustStorePassword().map(String::toCharArray).orElse(null);
                try (InputStream in = Files.newInputStream(Path.of(settings.getTrustStorePath().get()))) {
                    store.load(in, secret);
                }
                TrustManagerFactory managers = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                managers.init(store);
                trust = managers.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("RabbitMQ TLS: cannot use the trust store "
                    + settings.getTrustStorePath().orElse("(the JVM's)") + ": " + e);
        }
    }

    /**
     * The configuration a channel of the connector sees when it sets nothing of its own: the connector-wide key, then
     * its {@code rabbitmq-} alias. Aliases are resolved here, from the configuration given, rather than by SmallRye
     * from the global one, so that what the topology uses is what this process was configured with.
     */
    private record ConnectorWide(Config overall) implements Config {

        @Override
        public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
            if ("channel-name".equals(name)) {
                return Optional.of(type.cast("mlpipe-topology"));
            }
            Optional<T> value = overall.getOptionalValue(CONNECTOR_KEYS + name, type);
            if (value.isEmpty() && ALIASED.contains(name)) {
                value = overall.getOptionalValue("rabbitmq-" + name, type);
            }
            return value;
        }

        @Override
        public <T> T getValue(String name, Class<T> type) {
            return getOptionalValue(name, type).orElseThrow(
                    () -> new java.util.NoSuchElementException(CONNECTOR_KEYS + name + " is not set"));
        }

        @Override
        public ConfigValue getConfigValue(String name) {
            return overall.getConfigValue(CONNECTOR_KEYS + name);
        }

        @Override
        public Iterable<String> getPropertyNames() {
            return overall.getPropertyNames();
        }

        @Override
        public Iterable<ConfigSource> getConfigSources() {
            return overall.getConfigSources();
        }

        @Override
        public <T> Optional<Converter<T>> getConverter(Class<T> type) {
            return overall.getConverter(type);
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            return overall.unwrap(type);
        }
    }
}
