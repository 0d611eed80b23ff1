package dev.mlpipe.support;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * For tests of one small setting or limit each, which none of the others minds: 3 runs active at most (MaxActiveTest);
 * 2 finished runs kept (RetentionTest); quiet streams, a heartbeat every 500 ms and stats events hourly
 * (HeartbeatTest); an operator's folder of datasets, {@link #DATASETS}, that tests write into (DatasetFilesTest);
 * and caps per client of 2 runs and 3 streams, an operator password set while sign-in stays off, and
 * {@code X-Forwarded-For} trusted, so that a header makes another client (ClientLimitsTest). The others start at
 * most 2 runs and 1 stream at once as one client (MaxActiveTest its 3 runs as 3 clients) and send no password. One
 * profile for them, so that Quarkus starts the service once rather than five times; each test ends or cancels the
 * runs it starts.
 */
public class SmallSettings implements QuarkusTestProfile {

    /** {@code mlpipe.datasets.dir}: a test writes its dataset here before it names it in a run. */
    public static final Path DATASETS = Path.of("target", "small-settings-datasets").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mlpipe.runs.max-active", "3", "mlpipe.runs.retained", "2", "mlpipe.stream.heartbeat", "500ms",
                "mlpipe.stream.stats-interval", "1h", "mlpipe.datasets.dir", DATASETS.toString(),
                "mlpipe.limits.runs-per-client", "2", "mlpipe.limits.streams-per-client", "3",
                "mlpipe.auth.operator-password", Accounts.OPERATOR_PASSWORD,
                "quarkus.http.proxy.proxy-address-forwarding", "true", "quarkus.http.proxy.allow-x-forwarded", "true");
    }
}
