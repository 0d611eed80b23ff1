package dev.mlpipe.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Models for the v2 server's tests: {@code slow} (a simulated model that takes 1.5 s, batches up to 64 rows), whose
 * queue fills while it works, {@code tiny} (2 places, refusing requests that do not fit), and {@code digits} batching
 * up to 64 rows; the simulated model answers at once.
 */
public class V2Settings implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("mlpipe.models.simulated.inference-ms", "0"),
                Map.entry("mlpipe.models.slow.backend", "simulated"),
                Map.entry("mlpipe.models.slow.inference-ms", "1500"),
                Map.entry("mlpipe.models.slow.max-batch-size", "64"),
                Map.entry("mlpipe.models.slow.capacity", "16"),
                Map.entry("mlpipe.models.tiny.backend", "simulated"),
                Map.entry("mlpipe.models.tiny.inference-ms", "1500"),
                Map.entry("mlpipe.models.tiny.capacity", "2"),
                Map.entry("mlpipe.models.tiny.v2-when-full", "reject"),
                Map.entry("mlpipe.models.digits.max-batch-size", "64"),
                Map.entry("mlpipe.models.digits.capacity", "256"));
    }
}
