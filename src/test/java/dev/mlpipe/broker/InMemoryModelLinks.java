package dev.mlpipe.broker;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/** Puts the model stage between two in-memory channels, so a test feeds it items and reads its results directly. */
public class InMemoryModelLinks implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.putAll(InMemoryConnector.switchIncomingChannelsToInMemory("items-in"));
        config.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory("results-out"));
        return config;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
