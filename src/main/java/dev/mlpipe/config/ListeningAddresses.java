package dev.mlpipe.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Where the ports listen when no setting says: the management interface where the public port listens (Quarkus' own
 * default is every interface, whatever the public port does), and a worker without passwords on loopback only (it
 * serves no API, and Access would refuse to open it to the network). A source just above Quarkus' defaults, so that
 * {@code quarkus.http.host} or {@code quarkus.management.host} set anywhere wins.
 */
public class ListeningAddresses implements ConfigSourceFactory {

    static final String HTTP_HOST = "quarkus.http.host";
    static final String MANAGEMENT_HOST = "quarkus.management.host";
    static final String LOOPBACK = "127.0.0.1";
    /** Quarkus' defaults (its defaults source) are below every source that sets something. */
    private static final int ORDINAL = 1;

    @Override
    public Iterable<org.eclipse.microprofile.config.spi.ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean noPasswords = set(context, "mlpipe.auth.operator-password").isEmpty()
                && set(context, "mlpipe.auth.viewer-password").isEmpty()
                && set(context, "mlpipe.auth.users-file").isEmpty();
        boolean workerWithoutPasswords = "worker".equals(set(context, "mlpipe.role").orElse("all"))
                && !"false".equals(set(context, "mlpipe.auth.enabled").orElse("true")) && noPasswords;
        return List.of(new MapBackedConfigSource("mlpipe-listening-addresses",
                settings(set(context, HTTP_HOST), workerWithoutPasswords), ORDINAL) {
        });
    }

    /** @param httpHost {@code quarkus.http.host} where a source above Quarkus' defaults sets it */
    static Map<String, String> settings(Optional<String> httpHost, boolean workerWithoutPasswords) {
        if (httpHost.isPresent()) {
            return Map.of(MANAGEMENT_HOST, httpHost.get());
        }
        return workerWithoutPasswords ? Map.of(HTTP_HOST, LOOPBACK, MANAGEMENT_HOST, LOOPBACK) : Map.of();
    }

    /** A value some source sets, Quarkus' defaults (the lowest ordinal) aside. */
    private static Optional<String> set(ConfigSourceContext context, String key) {
        ConfigValue value = context.getValue(key);
        return value == null || value.getValue() == null || value.getValue().isEmpty()
                || value.getConfigSourceOrdinal() <= ORDINAL
                        ? Optional.empty()
                        : Optional.of(value.getValue());
    }
}
