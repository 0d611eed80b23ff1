package dev.mlpipe.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The default of {@code mlpipe.instance-id}: host name and process id, which tells apart every process of a pipeline
 * split over several machines (and several workers on one). A config source of the lowest ordinal, so any setting of
 * the key wins.
 */
public class InstanceId implements ConfigSource {

    private static final String KEY = "mlpipe.instance-id";
    private final String value = host() + "-" + ProcessHandle.current().pid();

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(KEY);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(KEY, value);
    }

    @Override
    public String getValue(String propertyName) {
        return KEY.equals(propertyName) ? value : null;
    }

    @Override
    public String getName() {
        return "mlpipe-instance-id";
    }

    @Override
    public int getOrdinal() {
        return 1;
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "mlpipe";
        }
    }
}
