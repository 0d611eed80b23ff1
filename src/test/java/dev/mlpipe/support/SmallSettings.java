package dev.mlpipe.support;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * For tests of one small setting each, which none of the others minds: 3 runs active at most (MaxActiveTest), 2
 * finished runs kept (RetentionTest), and quiet streams, a heartbeat every 500 ms and stats events hourly
 * (HeartbeatTest), and an operator's folder of datasets, {@link #DATASETS}, that tests write into (DatasetFilesTest).
 * One profile for them, so that Quarkus starts the service once rather than three times; each test
 * ends or cancels the runs it starts.
 */
public class SmallSettings implements QuarkusTestProfile {

    /** {@code mlpipe.datasets.dir}: a test writes its dataset here before it names it in a run. */
    public static final Path DATASETS = Path.of("target", "small-settings-datasets").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mlpipe.runs.max-active", "3", "mlpipe.runs.retained", "2", "mlpipe.stream.heartbeat", "500ms",
                "mlpipe.stream.stats-interval", "1h", "mlpipe.datasets.dir", DATASETS.toString());
    }
}
