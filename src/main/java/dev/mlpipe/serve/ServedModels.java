package dev.mlpipe.serve;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.model.Models;
import jakarta.inject.Singleton;

/**
 * Every model as the v2 server serves it, made at its first request: neither its metadata nor its {@code v2-when-full}
 * changes while it runs.
 */
@Singleton
public class ServedModels {

    private final Models models;
    private final MlpipeConfig config;
    private final Map<String, ServedModel> byName = new ConcurrentHashMap<>();

    ServedModels(Models models, MlpipeConfig config) {
        this.models = models;
        this.config = config;
    }

    /** The model of that name, once it takes items (a remote one, once its server has answered). */
    public Optional<ServedModel> find(String name) {
        ServedModel served = byName.get(name);
        if (served != null) {
            return Optional.of(served);
        }
        return models.find(name).map(model -> byName.computeIfAbsent(name,
                ready -> ServedModel.of(model, config.models().get(name).v2WhenFull())));
    }

    /** Why the model of that name takes no items yet; empty if it does, or is unknown. */
    public Optional<String> notReady(String name) {
        return models.notReady(name);
    }

    public List<String> names() {
        return models.names();
    }
}
