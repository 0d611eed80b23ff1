package dev.mlpipe.support;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * For tests of one small setting or limit each, which none of the others minds: 3 runs active at most (MaxActiveTest);
 * 2 finished runs kept (RetentionTest); quiet streams, a heartbeat every 500 ms and stats events hourly
 * (HeartbeatTest); an operator's folder of datasets, {@link #DATASETS}, that tests write into (DatasetFilesTest);
 * caps per client of 2 runs and 3 streams, an operator password set while sign-in stays off, and
 * {@code X-Forwarded-For} trusted, so that a header makes another client (ClientLimitsTest); and two simulated models
 * beside {@code simulated}, each run by one test class alone: {@link #BATCHED} (BatchingTest) and {@link #SLOTTED}
 * (ConcurrentInferenceTest). The others start at most 2 runs and 1 stream at once as one client (MaxActiveTest its 3
 * runs as 3 clients), send no password, run on {@code simulated} and list no models. One profile for them, so that
 * Quarkus starts the service once rather than seven times; each test ends or cancels the runs it starts.
 */
public class SmallSettings implements QuarkusTestProfile {

    /** {@code mlpipe.datasets.dir}: a test writes its dataset here before it names it in a run. */
    public static final Path DATASETS = Path.of("target", "small-settings-datasets").toAbsolutePath();

    /**
     * A simulated model that runs batches of up to {@link #BATCH_MAX} items, a batch that is not full waiting
     * {@link #BATCH_DELAY_MS} for more, each item beyond the first adding {@link #BATCH_ITEM_COST} of a one-item
     * inference; one slot, so that batches form in one place.
     */
    public static final String BATCHED = "batches-of-four";
    public static final int BATCH_MAX = 4;
    public static final int BATCH_DELAY_MS = 30;
    public static final double BATCH_ITEM_COST = 0.5;
    /** A simulated model with {@link #SLOTS} slots, and batches of one: each inference one item. */
    public static final String SLOTTED = "four-slots";
    public static final int SLOTS = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(Map.entry("mlpipe.runs.max-active", "3"), Map.entry("mlpipe.runs.retained", "2"),
                Map.entry("mlpipe.stream.heartbeat", "500ms"), Map.entry("mlpipe.stream.stats-interval", "1h"),
                Map.entry("mlpipe.datasets.dir", DATASETS.toString()),
                Map.entry("mlpipe.limits.runs-per-client", "2"), Map.entry("mlpipe.limits.streams-per-client", "3"),
                Map.entry("mlpipe.auth.operator-password", Accounts.OPERATOR_PASSWORD),
                Map.entry("quarkus.http.proxy.proxy-address-forwarding", "true"),
                Map.entry("quarkus.http.proxy.allow-x-forwarded", "true"),
                Map.entry("mlpipe.models." + BATCHED + ".backend", "simulated"),
                Map.entry("mlpipe.models." + BATCHED + ".max-batch-size", Integer.toString(BATCH_MAX)),
                Map.entry("mlpipe.models." + BATCHED + ".batch-delay", BATCH_DELAY_MS + "ms"),
                Map.entry("mlpipe.models." + BATCHED + ".batch-item-cost", Double.toString(BATCH_ITEM_COST)),
                Map.entry("mlpipe.models." + SLOTTED + ".backend", "simulated"),
                Map.entry("mlpipe.models." + SLOTTED + ".concurrency", Integer.toString(SLOTS)));
    }
}
