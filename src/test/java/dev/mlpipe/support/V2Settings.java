package dev.mlpipe.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Models for the tests of v2 requests in a model's queue ({@code serve.V2QueueingTest}) and of the v2 backend
 * ({@code model.V2ClientTest}). {@code batcher} forms batches of 10 rows, waiting up to a minute for them, so that rows
 * of concurrent requests meet in one batch whatever the machine's speed; {@code tiny} (2 places, refusing requests that
 * do not fit), {@code held}, {@code held2} and {@code held3} are simulated models a test keeps busy with a run of its
 * own, each used by one test; {@code digits} batches up to 64 rows and queues 256, so that requests of 250 rows fit. The
 * v2 backend's models, {@code remote}, {@code remote-json} and {@code absent}, are {@link ScriptedV2Server}'s: the
 * queueing tests use none of them, and nothing they read counts them ({@code /v2/health/ready} is the server's own
 * readiness, not the models'), so that Quarkus starts the service once for both classes.
 */
public class V2Settings implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("mlpipe.models.batcher.backend", "simulated"),
                Map.entry("mlpipe.models.batcher.inference-ms", "0"),
                Map.entry("mlpipe.models.batcher.max-batch-size", "10"),
                Map.entry("mlpipe.models.batcher.batch-delay", "60s"),
                Map.entry("mlpipe.models.batcher.capacity", "16"),
                Map.entry("mlpipe.models.tiny.backend", "simulated"),
                Map.entry("mlpipe.models.tiny.capacity", "2"),
                Map.entry("mlpipe.models.tiny.v2-when-full", "reject"),
                Map.entry("mlpipe.models.held.backend", "simulated"),
                Map.entry("mlpipe.models.held2.backend", "simulated"),
                Map.entry("mlpipe.models.held3.backend", "simulated"),
                Map.entry("mlpipe.models.digits.max-batch-size", "64"),
                Map.entry("mlpipe.models.digits.capacity", "256"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ScriptedV2Server.class));
    }
}
